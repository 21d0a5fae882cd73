namespace KmodGuard.Linux.Enforcement;

/// <summary>What <see cref="ModprobeDenylist"/> did to its file, how many modules it now lists, and a sentence for the log.</summary>
internal sealed record DenylistSync(DenylistOutcome Outcome, int Modules, string Message);

internal enum DenylistOutcome
{
    Written,
    Unchanged,
    Removed,

    /// <summary>A file of that name exists that KmodGuard did not write: it is never overwritten or deleted.</summary>
    Refused,

    /// <summary>The file could not be read, written or removed (read-only /etc, no permission).</summary>
    Failed,
}
