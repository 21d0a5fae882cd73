namespace KmodGuard.Core.Decisions;

public enum Severity
{
    Info,
    Medium,
    High,
    Critical,
}
