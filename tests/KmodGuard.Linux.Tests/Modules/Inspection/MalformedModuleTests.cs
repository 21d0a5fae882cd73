using System.Buffers.Binary;
using System.IO.Compression;
using CsCheck;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Tests.Shared;
using static KmodGuard.Linux.Tests.Modules.ModuleFixtures;

namespace KmodGuard.Linux.Tests.Modules.Inspection;

/// <summary>Broken and hostile module files: a clear result with a problem, never an exception.</summary>
public sealed class MalformedModuleTests : IDisposable
{
    private readonly TrustedCertificates _trusted = Trust(Debian61Cert, Debian612Cert);
    private readonly ModuleInspector _inspector;

    public MalformedModuleTests() => _inspector = new ModuleInspector(_trusted);

    public void Dispose() => _trusted.Dispose();

    [Fact]
    public void An_empty_file_is_unsigned_and_not_an_elf()
    {
        ModuleInspection i = _inspector.Inspect([]);
        Assert.Equal(SignatureStatus.Unsigned, i.Signature.Status);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", i.Sha256);
        Assert.Contains("file is empty", i.Problems);
        Assert.Null(i.ModInfo);
    }

    [Fact]
    public void Garbage_is_unsigned_and_not_an_elf()
    {
        ModuleInspection i = _inspector.Inspect(new Random(1).GetItems<byte>([1, 2, 3, 200], 5000));
        Assert.Equal(SignatureStatus.Unsigned, i.Signature.Status);
        Assert.Contains("not an ELF file (no ELF magic)", i.Problems);
    }

    [Fact]
    public void A_truncated_elf_has_no_modinfo_and_says_where_the_section_table_should_be()
    {
        ModuleInspection i = _inspector.Inspect(Bytes(Crc7Unsigned)[..3000]);
        Assert.Null(i.ModInfo);
        Assert.Contains(i.Problems, p => p.StartsWith("ELF section header table", StringComparison.Ordinal) && p.Contains("outside the 3000 byte image", StringComparison.Ordinal));
        Assert.Equal(SignatureStatus.Unsigned, i.Signature.Status);
    }

    [Fact]
    public void A_signed_module_with_bytes_cut_from_its_middle_is_invalid()
    {
        byte[] signed = Bytes(Crc7);
        ModuleInspection i = _inspector.Inspect([.. signed[..1000], .. signed[2000..]]);
        Assert.Equal(SignatureStatus.Invalid, i.Signature.Status);
        Assert.NotEmpty(i.Problems);
    }

    [Theory]
    [InlineData(0xffffffffu, "module_signature says the signature is 4294967295 bytes, but only 5881 bytes precede it")]
    [InlineData(5881u, "module_signature says the signature is 5881 bytes, but only 5881 bytes precede it")]
    [InlineData(0u, "module_signature says the signature is 0 bytes long")]
    public void A_hostile_sig_len_is_invalid_with_the_numbers(uint sigLen, string detail)
    {
        byte[] module = Bytes(Crc7);
        BinaryPrimitives.WriteUInt32BigEndian(module.AsSpan(module.Length - 28 - 4), sigLen);
        ModuleSignature s = _inspector.Inspect(module).Signature;
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.Equal(detail, s.Detail);
    }

    [Fact]
    public void A_non_pkcs7_signature_type_and_non_zero_fields_are_invalid()
    {
        byte[] legacy = Bytes(Crc7);
        legacy[legacy.Length - 28 - 12 + 2] = 1;
        Assert.Equal("signature is not PKCS#7 (id_type 1); the kernel only verifies PKCS#7", _inspector.Inspect(legacy).Signature.Detail);

        byte[] nonZero = Bytes(Crc7);
        nonZero[nonZero.Length - 28 - 12] = 4;
        Assert.Equal(SignatureStatus.Invalid, _inspector.Inspect(nonZero).Signature.Status);
    }

    [Fact]
    public void A_marker_without_room_for_the_signature_info_is_invalid()
    {
        ModuleSignature s = _inspector.Inspect([.. "xx"u8, .. ModuleSigning.Marker]).Signature;
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.Equal("signature marker present but the module_signature block is truncated", s.Detail);
    }

    [Fact]
    public void Bad_asn1_in_the_signature_is_invalid()
    {
        byte[] module = Bytes(Crc7);
        Array.Fill(module, (byte)0x5a, 5921 - 28 - 12 - 681, 681);
        ModuleSignature s = _inspector.Inspect(module).Signature;
        Assert.Equal(SignatureStatus.Invalid, s.Status);
        Assert.StartsWith("PKCS#7 signature does not parse", s.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pkcs7_cut_short_inside_its_asn1_is_invalid()
    {
        byte[] module = Bytes(Crc7);
        byte[] payload = module[..(5921 - 40 - 681)];
        byte[] pkcs7 = module[payload.Length..(payload.Length + 681)];
        Assert.Equal(SignatureStatus.Invalid, _inspector.Inspect(ModuleSigning.Append(payload, pkcs7[..400])).Signature.Status);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public void Corrupt_compressed_data_is_invalid_and_named(string format)
    {
        byte[] stored = Compressed(format);
        for (int i = 20; i < stored.Length - 20; i += 7)
        {
            stored[i] ^= 0x55;
        }

        ModuleInspection inspection = _inspector.Inspect(stored);
        Assert.Equal(SignatureStatus.Invalid, inspection.Signature.Status);
        Assert.StartsWith($"{format} data is corrupt", Assert.Single(inspection.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public void A_truncated_compressed_module_gives_a_problem_not_an_exception(string format)
    {
        byte[] stored = Compressed(format);
        ModuleInspection inspection = _inspector.Inspect(stored[..(stored.Length / 2)]);
        Assert.NotEqual(SignatureStatus.SignedTrusted, inspection.Signature.Status);
        Assert.NotEmpty(inspection.Problems);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public void Every_short_prefix_of_a_compressed_module_gives_a_problem(string format)
    {
        byte[] stored = Compressed(format);
        for (int length = 1; length < 64; length++)
        {
            ModuleInspection inspection = _inspector.Inspect(stored[..length]);
            Assert.NotEqual(SignatureStatus.SignedTrusted, inspection.Signature.Status);
            Assert.NotEmpty(inspection.Problems);
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("xz")]
    [InlineData("zstd")]
    public void A_zip_bomb_stops_at_the_limit_and_is_left_unknown(string format)
    {
        string path = PathOf($"bomb-16MiB-zeros.ko.{(format == "gzip" ? "gz" : format == "zstd" ? "zst" : "xz")}");
        var small = new ModuleInspector(_trusted, maxModuleBytes: 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ModuleInspection i = small.Inspect(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.Equal($"{format} data expands beyond the 1048576 byte limit (not inspected further)", Assert.Single(i.Problems));
        Assert.NotNull(i.Sha256);
        Assert.InRange(allocated, 0, 8L << 20);
    }

    [Fact]
    public void The_default_limit_stops_a_bomb_that_expands_past_256_mib()
    {
        ModuleInspection i = _inspector.Inspect(PathOf("bomb-300MiB-zeros.ko.zst"));
        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.Equal("zstd data expands beyond the 268435456 byte limit (not inspected further)", Assert.Single(i.Problems));
    }

    [Fact]
    public void An_xz_header_asking_for_a_1_gib_dictionary_does_not_allocate_it()
    {
        byte[] xz = Bytes(Crc7Xz);
        xz[12 + 4] = 36; // LZMA2 dictionary property: 1 GiB
        BinaryPrimitives.WriteUInt32LittleEndian(xz.AsSpan(12 + 8), Crc32(xz.AsSpan(12, 8)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        ModuleInspection i = _inspector.Inspect(xz);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L << 20);
        Assert.Equal(SignatureStatus.SignedTrusted, i.Signature.Status);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_not_read()
    {
        ModuleInspection i = new ModuleInspector(_trusted, maxModuleBytes: 4096).Inspect(PathOf(Crc7));
        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.Equal(5921, i.Size);
        Assert.Null(i.Sha256);
        Assert.Equal("file is 5921 bytes, over the 4096 byte limit (not inspected)", Assert.Single(i.Problems));
    }

    [Fact]
    public void A_missing_file_is_unknown_and_named()
    {
        ModuleInspection i = _inspector.Inspect("/nonexistent/x.ko");
        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.StartsWith("/nonexistent/x.ko: No such file or directory", Assert.Single(i.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_not_a_module()
    {
        ModuleInspection i = _inspector.Inspect(FixtureDirectory);
        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.Single(i.Problems);
    }

    [SkippableFact]
    public async Task A_fifo_does_not_block_the_inspector()
    {
        string fifo = Path.Combine(Path.GetTempPath(), $"kmodguard-fifo-{Guid.NewGuid():n}");
        Skip.IfNot(Mono.Unix.Native.Syscall.mkfifo(fifo, Mono.Unix.Native.FilePermissions.S_IRUSR | Mono.Unix.Native.FilePermissions.S_IWUSR) == 0, "mkfifo failed here");
        try
        {
            // A blocking open would never return: WaitAsync fails the test with a TimeoutException instead.
            ModuleInspection inspection = await Task.Run(() => _inspector.Inspect(fifo)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(SignatureStatus.Unknown, inspection.Signature.Status);
            Assert.Equal("not a regular file", Assert.Single(inspection.Problems));
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public void A_character_device_reporting_size_zero_is_not_read_forever()
    {
        ModuleInspection i = _inspector.Inspect("/dev/zero");
        Assert.Equal(SignatureStatus.Unknown, i.Signature.Status);
        Assert.Contains("not a regular file", Assert.Single(i.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_corruption_of_real_modules_never_throws()
    {
        byte[][] originals = [Bytes(Crc7), Bytes(Crc7Xz), Bytes(Crc7Zst), Bytes(Crc7Gz), Bytes(EmU32)];
        Gen.Select(Gen.Int[0, originals.Length - 1], Gen.Int[0, 7000].Array[1, 8], Gen.Byte.Array[1, 8], Gen.Int[0, 7000])
            .Sample((which, offsets, values, cut) =>
            {
                byte[] m = (byte[])originals[which].Clone();
                for (int k = 0; k < offsets.Length; k++)
                {
                    m[offsets[k] % m.Length] = values[k % values.Length];
                }

                ModuleInspection i = _inspector.Inspect(cut % 3 == 0 ? m[..Math.Min(cut, m.Length)] : m);
                Assert.NotNull(i.Sha256);
                Assert.True(Enum.IsDefined(i.Signature.Status));
            }, iter: 1000);
    }

    [Fact]
    public void Random_bytes_ending_in_a_signature_trailer_never_throw()
    {
        Gen.Select(Gen.Byte.Array[0, 3000], Gen.Byte.Array[12])
            .Sample((body, info) =>
            {
                ModuleInspection i = _inspector.Inspect([.. body, .. info, .. ModuleSigning.Marker]);
                Assert.NotEqual(SignatureStatus.SignedTrusted, i.Signature.Status);
            }, iter: 1000);
    }

    private static byte[] Compressed(string format) => Bytes(format switch { "gzip" => Crc7Gz, "zstd" => Crc7Zst, _ => Crc7Xz });

    /// <summary>CRC-32 (IEEE) as the xz block header uses it.</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffff;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xedb88320u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
