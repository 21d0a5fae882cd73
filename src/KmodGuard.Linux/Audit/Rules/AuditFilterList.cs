namespace KmodGuard.Linux.Audit.Rules;

/// <summary>The filter list a rule is on (<c>-a LIST,ACTION</c>; UAPI AUDIT_FILTER_*).</summary>
internal enum AuditFilterList : uint
{
    User = 0,
    Task = 1,
    Exit = 4,
    Exclude = 5,
    Filesystem = 6,
}
