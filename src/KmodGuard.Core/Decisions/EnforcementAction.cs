namespace KmodGuard.Core.Decisions;

/// <summary>What the agent did about a decision.</summary>
public enum EnforcementAction
{
    None,

    /// <summary>Refused before the kernel acted (macOS AUTH).</summary>
    Blocked,

    /// <summary>Removed from the kernel after it loaded (Linux).</summary>
    Unloaded,
    UnloadFailed,

    /// <summary>Monitor mode: the verdict was deny, nothing was done.</summary>
    WouldDeny,
    KilledLoader,
}
