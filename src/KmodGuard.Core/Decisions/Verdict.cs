namespace KmodGuard.Core.Decisions;

public enum Verdict
{
    Allow,
    Deny,
}
