namespace KmodGuard.Core.Events;

/// <summary>
/// What is known about the module (Linux) or kernel extension (macOS). Every member is optional:
/// a load from a memory buffer has no file, a failed early load has no name.
/// </summary>
public sealed record ModuleFacts
{
    /// <summary>Module name (Linux) or the kext's signing identifier (macOS).</summary>
    public string? Name { get; init; }

    public string? FilePath { get; init; }

    /// <summary>Lowercase hex SHA-256 of the file as stored on disk.</summary>
    public string? Sha256 { get; init; }

    public long? Size { get; init; }

    public ModInfo? ModInfo { get; init; }

    public SignatureStatus SignatureStatus { get; init; } = SignatureStatus.Unknown;

    /// <summary>Signer name (issuer CN of the PKCS#7 signer on Linux).</summary>
    public string? Signer { get; init; }

    /// <summary>Key identifier: the signing certificate's serial number as hex.</summary>
    public string? KeyId { get; init; }

    public string? HashAlgorithm { get; init; }

    /// <summary>Why the file is not known, when it is not (e.g. "init_module from a memory buffer").</summary>
    public string? FileUnresolvedReason { get; init; }

    public static ModuleFacts Empty { get; } = new();
}
