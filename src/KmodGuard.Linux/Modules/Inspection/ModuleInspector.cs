using System.Security.Cryptography;
using KmodGuard.Core.Events;
using Microsoft.Win32.SafeHandles;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// Inspects a kernel module file: SHA-256 and size as stored, decompression (.ko.gz/.ko.xz/.ko.zst, bounded),
/// ELF <c>.modinfo</c>, and the appended PKCS#7 signature checked against <see cref="TrustedCertificates"/>.
/// Bad input (unreadable, truncated, garbage, hostile sizes, zip bombs) gives a result with problems, never an
/// exception; only cancellation throws. Thread-safe: one instance serves the agent.
/// </summary>
internal sealed class ModuleInspector
{
    /// <summary>The largest module read, stored or decompressed. The biggest in-tree modules are tens of MB.</summary>
    public const long DefaultMaxModuleBytes = 256L << 20;

    private readonly TrustedCertificates _trusted;
    private readonly long _maxModuleBytes;

    public ModuleInspector(TrustedCertificates trusted, long maxModuleBytes = DefaultMaxModuleBytes)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxModuleBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxModuleBytes, Array.MaxLength);
        _trusted = trusted;
        _maxModuleBytes = maxModuleBytes;
    }

    public ModuleInspection Inspect(string path, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        SafeFileHandle file;
        try
        {
            file = ModuleFile.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(path, null, e.Message);
        }

        using (file)
        {
            return Inspect(file, path, cancellation);
        }
    }

    /// <summary>Inspects an open file (e.g. one opened through /proc/PID/fd/N); <paramref name="path"/> is only reported.</summary>
    public ModuleInspection Inspect(SafeFileHandle file, string? path, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        long? size = null;
        byte[] stored;
        try
        {
            size = ModuleFile.Length(file);
            if (size > _maxModuleBytes)
            {
                return Unreadable(path, size, $"file is {size} bytes, over the {_maxModuleBytes} byte limit (not inspected)");
            }

            stored = ModuleFile.ReadAll(file, (int)size.Value, cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Unreadable(path, size, e is NotSupportedException ? "not a regular file" : e.Message);
        }

        return Inspect(stored, path, cancellation);
    }

    /// <summary>Inspects module bytes as stored in a file.</summary>
    public ModuleInspection Inspect(byte[] stored, string? path = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var problems = new List<string>();
        ModuleCompression compression = ModuleCompressions.Detect(stored);
        Span<byte> payloadSha256 = stackalloc byte[32];
        var inspection = new ModuleInspection
        {
            Path = path,
            Size = stored.Length,
            Sha256 = Sha256(stored, compression, payloadSha256, out bool payloadHashed),
            Compression = compression,
            Signature = ModuleSignature.Unknown("not checked"),
            Problems = problems,
        };
        if (stored.Length == 0)
        {
            problems.Add("file is empty");
        }

        ReadOnlyMemory<byte> elf = stored;
        if (compression != ModuleCompression.None)
        {
            DecompressedModule d = ModuleDecompressor.Decompress(stored, compression, _maxModuleBytes, cancellation);
            if (!d.Succeeded)
            {
                problems.Add(d.Problem!);

                // Corrupt data is not a module the kernel could load; an oversized one was simply not examined.
                return inspection with { Signature = d.LimitExceeded ? ModuleSignature.Unknown(d.Problem!) : ModuleSignature.Invalid(d.Problem!) };
            }

            elf = d.Elf;
            inspection = inspection with { DecompressedSize = elf.Length };
        }

        cancellation.ThrowIfCancellationRequested();
        ModInfo? modInfo = ModInfoReader.Read(elf.Span, out string? elfProblem);
        if (elfProblem is not null)
        {
            problems.Add(elfProblem);
        }

        cancellation.ThrowIfCancellationRequested();
        ModuleSignature signature = ModuleSignatureVerifier.Verify(elf, _trusted, payloadHashed ? payloadSha256 : default);
        return inspection with { ModInfo = modInfo, Signature = signature };
    }

    /// <summary>
    /// SHA-256 of the file. For an uncompressed signed module the signed payload is a prefix of the file, so one pass
    /// also yields the payload's digest for the signature check (the hash is most of an inspection's cost).
    /// </summary>
    private static string Sha256(byte[] stored, ModuleCompression compression, Span<byte> payloadSha256, out bool payloadHashed)
    {
        AppendedSignature block = default;
        payloadHashed = compression == ModuleCompression.None && AppendedSignature.TryFind(stored, out block, out _);
        if (!payloadHashed)
        {
            return Convert.ToHexStringLower(SHA256.HashData(stored));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(stored.AsSpan(0, block.PayloadLength));
        hash.GetCurrentHash(payloadSha256);
        hash.AppendData(stored.AsSpan(block.PayloadLength));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ModuleInspection Unreadable(string? path, long? size, string problem) => new()
    {
        Path = path,
        Size = size,
        Signature = ModuleSignature.Unknown(problem),
        Problems = [problem],
    };
}
