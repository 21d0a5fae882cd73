using System.Buffers.Binary;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// An audit rule as the kernel holds it (<c>struct audit_rule_data</c>): filter list, action, syscall bitmask and
/// fields. Built from auditctl syntax (<see cref="Parse"/>), from kernel bytes (<see cref="FromWireFormat"/>), and
/// written back as bytes (<see cref="ToWireFormat"/>) or as <c>auditctl -l</c> text (<see cref="ToAuditctlText"/>).
/// </summary>
internal sealed class AuditRule
{
    /// <summary>flags, action, field_count, mask[64], fields[64], values[64], fieldflags[64], buflen.</summary>
    public const int HeaderSize = 12 + (4 * 64 * 4) + 4;

    public const int MaskWords = 64;
    public const int MaxFields = 64;

    /// <summary>The kernel uses the top 16 bits of the last mask word for syscall classes and lists them cleared.</summary>
    public const uint LastWordWithoutClasses = 0x0000FFFF;

    private readonly uint[] _mask;

    public AuditRule(AuditFilterList list, AuditRuleAction action, uint[] mask, IReadOnlyList<AuditRuleField> fields)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(fields);
        if (mask.Length != MaskWords)
        {
            throw new ArgumentException($"the syscall mask has {MaskWords} words", nameof(mask));
        }

        List = list;
        Action = action;
        _mask = (uint[])mask.Clone();
        Fields = fields;

        // The class bits are not syscalls; keep the model in the kernel's listed form whatever the source.
        if (AllSyscalls)
        {
            _mask[MaskWords - 1] &= LastWordWithoutClasses;
        }
    }

    public AuditFilterList List { get; }

    public AuditRuleAction Action { get; }

    /// <summary>The syscall bitmask (bit n of word n/32 = syscall n), with the class bits cleared as the kernel lists it.</summary>
    public IReadOnlyList<uint> Mask => _mask;

    public IReadOnlyList<AuditRuleField> Fields { get; }

    /// <summary>True when the rule applies to every syscall (<c>-S all</c>, and watches).</summary>
    public bool AllSyscalls => _mask.AsSpan(0, MaskWords - 1).IndexOfAnyExcept(uint.MaxValue) < 0;

    /// <summary>The rule's keys (several are joined by 0x01 in one key field).</summary>
    public IReadOnlyList<string> Keys => Fields.Where(f => f.Id == AuditFieldIds.FilterKey && f.Data is not null)
        .SelectMany(f => f.Text!.Split('\x01')).ToArray();

    /// <summary>Parses auditctl rule syntax, e.g. <c>-a always,exit -F arch=b64 -S init_module -F key=k</c> or <c>-w /sbin/insmod -p x -k k</c>.</summary>
    public static AuditRule Parse(string auditctlArguments, AuditRuleParseOptions? options = null) =>
        AuditRuleParser.Parse(auditctlArguments, options ?? AuditRuleParseOptions.ForThisMachine());

    /// <summary>
    /// The rule's <c>struct audit_rule_data</c> bytes, zero-padded to 4 bytes as in the netlink datagram (the struct
    /// itself is 1040 + buflen bytes; either length is accepted by the kernel): as the kernel lists them (the default,
    /// what rules are deleted with), or exactly as auditctl sends them (class bits of the last mask word set on
    /// all-syscall rules).
    /// </summary>
    public byte[] ToWireFormat(bool asAuditctlSends = false)
    {
        int buflen = Fields.Sum(f => f.Data?.Length ?? 0);
        byte[] bytes = new byte[(HeaderSize + buflen + 3) & ~3];
        Span<byte> s = bytes;
        WriteU32(s, 0, (uint)List);
        WriteU32(s, 4, (uint)Action);
        WriteU32(s, 8, (uint)Fields.Count);
        for (int i = 0; i < MaskWords; i++)
        {
            uint word = _mask[i];
            if (asAuditctlSends && i == MaskWords - 1 && AllSyscalls)
            {
                word = uint.MaxValue;
            }

            WriteU32(s, 12 + (i * 4), word);
        }

        int offset = HeaderSize;
        for (int i = 0; i < Fields.Count; i++)
        {
            AuditRuleField f = Fields[i];
            WriteU32(s, 12 + 256 + (i * 4), f.Id);
            WriteU32(s, 12 + 512 + (i * 4), f.Data is null ? f.Value : (uint)f.Data.Length);
            WriteU32(s, 12 + 768 + (i * 4), (uint)f.Operator);
            if (f.Data is not null)
            {
                f.Data.CopyTo(s[offset..]);
                offset += f.Data.Length;
            }
        }

        WriteU32(s, 12 + 1024, (uint)buflen);
        return bytes;
    }

    /// <summary>Reads <c>struct audit_rule_data</c> bytes (an AUDIT_LIST_RULES reply payload); throws <see cref="AuditRuleException"/> on bad input.</summary>
    public static AuditRule FromWireFormat(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw new AuditRuleException($"rule data is {data.Length} bytes; struct audit_rule_data needs at least {HeaderSize}");
        }

        uint list = ReadU32(data, 0);
        uint action = ReadU32(data, 4);
        uint count = ReadU32(data, 8);
        uint buflen = ReadU32(data, 12 + 1024);
        if (!Enum.IsDefined((AuditFilterList)list) || !Enum.IsDefined((AuditRuleAction)action))
        {
            throw new AuditRuleException($"unknown filter list {list} or action {action}");
        }

        if (count > MaxFields)
        {
            throw new AuditRuleException($"field_count {count} exceeds {MaxFields}");
        }

        if (buflen > data.Length - HeaderSize)
        {
            throw new AuditRuleException($"buflen {buflen} exceeds the {data.Length - HeaderSize} bytes after the header");
        }

        uint[] mask = new uint[MaskWords];
        for (int i = 0; i < MaskWords; i++)
        {
            mask[i] = ReadU32(data, 12 + (i * 4));
        }

        var fields = new AuditRuleField[count];
        ReadOnlySpan<byte> buffer = data.Slice(HeaderSize, (int)buflen);
        for (int i = 0; i < count; i++)
        {
            uint id = ReadU32(data, 12 + 256 + (i * 4));
            uint value = ReadU32(data, 12 + 512 + (i * 4));
            uint op = ReadU32(data, 12 + 768 + (i * 4));
            if (!AuditOperators.IsDefined(op))
            {
                throw new AuditRuleException($"field {i} has unknown operator 0x{op:X8}");
            }

            byte[]? text = null;
            if (AuditFieldIds.IsString(id))
            {
                if (value > buffer.Length)
                {
                    throw new AuditRuleException($"field {i} ({AuditFieldIds.NameOf(id)}) claims {value} string bytes; {buffer.Length} remain");
                }

                text = buffer[..(int)value].ToArray();
                buffer = buffer[(int)value..];
            }

            fields[i] = new AuditRuleField(id, (AuditOperator)op, text is null ? value : 0, text);
        }

        return new AuditRule((AuditFilterList)list, (AuditRuleAction)action, mask, fields);
    }

    /// <summary>The rule as <c>auditctl -l</c> prints it; syscall names of rules without an arch field come from <paramref name="defaultArch"/>.</summary>
    public string ToAuditctlText(uint? defaultArch = null) => AuditRuleText.Format(this, defaultArch ?? AuditArch.OfThisMachine());

    public override string ToString() => ToAuditctlText();

    private static void WriteU32(Span<byte> s, int offset, uint value)
    {
        // struct audit_rule_data is in host byte order.
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[offset..], value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(s[offset..], value);
        }
    }

    private static uint ReadU32(ReadOnlySpan<byte> s, int offset) => BitConverter.IsLittleEndian
        ? BinaryPrimitives.ReadUInt32LittleEndian(s[offset..])
        : BinaryPrimitives.ReadUInt32BigEndian(s[offset..]);
}
