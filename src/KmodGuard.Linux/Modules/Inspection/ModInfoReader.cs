using System.Buffers.Binary;
using System.Text;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// Reads the <c>.modinfo</c> section of an ELF64 module (either byte order): NUL-separated <c>key=value</c> strings,
/// as modinfo(8) prints them. Every offset and size is checked against the image; a malformed image gives a problem.
/// </summary>
internal static class ModInfoReader
{
    private const int Elf64HeaderSize = 64;
    private const int Elf64SectionHeaderSize = 64;

    private static ReadOnlySpan<byte> ElfMagic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public static ModInfo? Read(ReadOnlySpan<byte> elf, out string? problem)
    {
        if (!TryFindModInfoSection(elf, out ReadOnlySpan<byte> section, out problem))
        {
            return null;
        }

        var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Range r in section.Split((byte)0))
        {
            ReadOnlySpan<byte> entry = section[r];
            int eq = entry.IndexOf((byte)'=');
            if (eq <= 0)
            {
                continue; // padding between entries, or a malformed tag modinfo would skip too
            }

            string key = Encoding.UTF8.GetString(entry[..eq]);
            string value = Encoding.UTF8.GetString(entry[(eq + 1)..]);
            if (!tags.TryGetValue(key, out List<string>? values))
            {
                tags[key] = values = [];
            }

            values.Add(value);
        }

        string? First(string key) => tags.TryGetValue(key, out List<string>? v) ? v[0] : null;
        bool? Flag(string key) => First(key) is { } v ? v == "Y" : null;

        return new ModInfo
        {
            Name = First("name"),
            Version = First("version"),
            License = First("license"),
            Vermagic = First("vermagic"),
            SrcVersion = First("srcversion"),
            Depends = First("depends") is { } depends ? depends.Split(',', StringSplitOptions.RemoveEmptyEntries) : null,
            InTree = Flag("intree"),
            Retpoline = Flag("retpoline"),
            Author = tags.TryGetValue("author", out List<string>? authors) ? string.Join(", ", authors) : null,
            Description = First("description"),
        };
    }

    private static bool TryFindModInfoSection(ReadOnlySpan<byte> elf, out ReadOnlySpan<byte> section, out string? problem)
    {
        section = default;
        if (!elf.StartsWith(ElfMagic))
        {
            problem = "not an ELF file (no ELF magic)";
            return false;
        }

        if (elf.Length < Elf64HeaderSize)
        {
            problem = $"ELF header truncated ({elf.Length} bytes)";
            return false;
        }

        if (elf[4] != 2)
        {
            problem = $"not a 64-bit ELF (class {elf[4]}); only ELF64 modules are read";
            return false;
        }

        if (elf[5] is not (1 or 2))
        {
            problem = $"unknown ELF byte order (EI_DATA {elf[5]})";
            return false;
        }

        var image = new Elf64(elf, littleEndian: elf[5] == 1);
        ulong shoff = image.U64(0x28);
        ushort shentsize = image.U16(0x3a);
        ushort shnum = image.U16(0x3c);
        ushort shstrndx = image.U16(0x3e);
        if (shnum == 0 || shentsize < Elf64SectionHeaderSize)
        {
            problem = $"ELF has no usable section header table (e_shnum {shnum}, e_shentsize {shentsize})";
            return false;
        }

        if (shoff > (ulong)elf.Length || (ulong)shnum * shentsize > (ulong)elf.Length - shoff)
        {
            problem = $"ELF section header table ({shnum} x {shentsize} bytes at {shoff}) lies outside the {elf.Length} byte image";
            return false;
        }

        if (shstrndx >= shnum)
        {
            problem = $"ELF section name table index {shstrndx} is out of range ({shnum} sections)";
            return false;
        }

        int SectionHeader(int i) => (int)shoff + (i * shentsize);
        if (!image.TrySectionContent(SectionHeader(shstrndx), out ReadOnlySpan<byte> names))
        {
            problem = "ELF section name table lies outside the image";
            return false;
        }

        for (int i = 0; i < shnum; i++)
        {
            uint nameOffset = image.U32(SectionHeader(i));
            if (nameOffset >= (uint)names.Length || !names[(int)nameOffset..].StartsWith(".modinfo\0"u8))
            {
                continue;
            }

            if (!image.TrySectionContent(SectionHeader(i), out section))
            {
                problem = ".modinfo section lies outside the image";
                return false;
            }

            problem = null;
            return true;
        }

        problem = "ELF has no .modinfo section (not a kernel module)";
        return false;
    }

    /// <summary>Reads ELF64 fields in the image's byte order; callers check offsets before use.</summary>
    private readonly ref struct Elf64(ReadOnlySpan<byte> image, bool littleEndian)
    {
        private readonly ReadOnlySpan<byte> _image = image;

        public ulong U64(int at) => littleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(_image[at..]) : BinaryPrimitives.ReadUInt64BigEndian(_image[at..]);

        public uint U32(int at) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(_image[at..]) : BinaryPrimitives.ReadUInt32BigEndian(_image[at..]);

        public ushort U16(int at) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(_image[at..]) : BinaryPrimitives.ReadUInt16BigEndian(_image[at..]);

        /// <summary>sh_offset (+24) and sh_size (+32) of the section header at <paramref name="header"/>, if inside the image.</summary>
        public bool TrySectionContent(int header, out ReadOnlySpan<byte> content)
        {
            ulong offset = U64(header + 24);
            ulong size = U64(header + 32);
            bool inside = offset <= (ulong)_image.Length && size <= (ulong)_image.Length - offset;
            content = inside ? _image.Slice((int)offset, (int)size) : default;
            return inside;
        }
    }
}
