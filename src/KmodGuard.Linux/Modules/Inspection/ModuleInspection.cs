using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// What <see cref="ModuleInspector"/> found in one module file. Facts that could not be read are null;
/// <see cref="Problems"/> says why, one sentence each.
/// </summary>
internal sealed record ModuleInspection
{
    /// <summary>The path reported for the file (the descriptor link's target when read through /proc).</summary>
    public string? Path { get; init; }

    /// <summary>Size of the file as stored (compressed, if it is).</summary>
    public long? Size { get; init; }

    /// <summary>Lowercase hex SHA-256 of the file as stored.</summary>
    public string? Sha256 { get; init; }

    /// <summary>How the file is stored; null when it could not be read.</summary>
    public ModuleCompression? Compression { get; init; }

    /// <summary>Size of the ELF image after decompression; null for an uncompressed file.</summary>
    public long? DecompressedSize { get; init; }

    public ModInfo? ModInfo { get; init; }

    public required ModuleSignature Signature { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Copies the findings into an activity's module facts. The kernel's own name for the module (audit) wins over .modinfo's.</summary>
    public ModuleFacts ApplyTo(ModuleFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts with
        {
            Name = facts.Name ?? ModInfo?.Name,
            FilePath = Path ?? facts.FilePath,
            Sha256 = Sha256,
            Size = Size,
            ModInfo = ModInfo,
            SignatureStatus = Signature.Status,
            Signer = Signature.Signer,
            KeyId = Signature.KeyId,
            HashAlgorithm = Signature.HashAlgorithm,
        };
    }
}
