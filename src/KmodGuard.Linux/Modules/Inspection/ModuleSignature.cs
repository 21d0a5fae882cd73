using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Modules.Inspection;

/// <summary>
/// What a module's appended signature says and who made it. <see cref="Detail"/> explains any verdict other than
/// signed-trusted in one sentence (which key was missing, what was malformed).
/// </summary>
internal sealed record ModuleSignature(SignatureStatus Status)
{
    /// <summary>Issuer CN of the PKCS#7 signer (what modinfo prints as <c>signer</c>).</summary>
    public string? Signer { get; init; }

    /// <summary>The signer's certificate serial as lowercase hex (modinfo's <c>sig_key</c>), or its subject key id.</summary>
    public string? KeyId { get; init; }

    /// <summary>Digest algorithm, e.g. sha256.</summary>
    public string? HashAlgorithm { get; init; }

    public string? Detail { get; init; }

    public static ModuleSignature Unsigned { get; } = new(SignatureStatus.Unsigned);

    public static ModuleSignature Invalid(string detail) => new(SignatureStatus.Invalid) { Detail = detail };

    public static ModuleSignature Unknown(string detail) => new(SignatureStatus.Unknown) { Detail = detail };
}
