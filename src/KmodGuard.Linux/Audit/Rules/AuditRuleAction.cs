namespace KmodGuard.Linux.Audit.Rules;

/// <summary>What a matching rule does (<c>-a LIST,ACTION</c>; UAPI AUDIT_NEVER/AUDIT_ALWAYS).</summary>
internal enum AuditRuleAction : uint
{
    Never = 0,
    Possible = 1,
    Always = 2,
}
