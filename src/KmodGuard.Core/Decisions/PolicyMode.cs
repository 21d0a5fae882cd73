namespace KmodGuard.Core.Decisions;

/// <summary>Whether deny verdicts are acted upon.</summary>
public enum PolicyMode
{
    /// <summary>Record what would be denied; change nothing.</summary>
    Monitor,
    Enforce,
}
