namespace KmodGuard.Core.Events;

/// <summary>What the module's appended signature says, as checked by KmodGuard (not by the kernel).</summary>
public enum SignatureStatus
{
    /// <summary>Not checked, or the file could not be read.</summary>
    Unknown,

    /// <summary>Verifies against one of the configured trusted certificates.</summary>
    SignedTrusted,

    /// <summary>Well-formed signature, but no configured certificate matches its signer.</summary>
    SignedUntrusted,

    /// <summary>Tampered content, malformed signature block, or a signature that fails with the named key.</summary>
    Invalid,

    /// <summary>No signature marker at the end of the module.</summary>
    Unsigned,
}
