namespace KmodGuard.Linux.Enforcement;

/// <summary>What <see cref="ModulesDisabledLock"/> did, with the sentence it logged.</summary>
internal sealed record LockResult(LockOutcome Outcome, string Message);

internal enum LockOutcome
{
    NotRequested,
    Locked,
    AlreadyLocked,
    WouldLock,
    NotSupported,
    Failed,
}
