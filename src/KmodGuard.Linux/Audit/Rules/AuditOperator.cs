namespace KmodGuard.Linux.Audit.Rules;

/// <summary>Field comparison operators as encoded in <c>fieldflags</c> (UAPI AUDIT_EQUAL ...).</summary>
internal enum AuditOperator : uint
{
    BitMask = 0x08000000,
    LessThan = 0x10000000,
    GreaterThan = 0x20000000,
    NotEqual = 0x30000000,
    Equal = 0x40000000,
    BitTest = 0x48000000,
    LessThanOrEqual = 0x50000000,
    GreaterThanOrEqual = 0x60000000,
}

/// <summary>The operators' auditctl spelling.</summary>
internal static class AuditOperators
{
    /// <summary>In auditctl's search order: two-character operators first, each looked for anywhere in the pair.</summary>
    public static IReadOnlyList<(string Symbol, AuditOperator Operator)> BySearchOrder { get; } =
    [
        ("!=", AuditOperator.NotEqual),
        (">=", AuditOperator.GreaterThanOrEqual),
        ("<=", AuditOperator.LessThanOrEqual),
        ("&=", AuditOperator.BitTest),
        ("=", AuditOperator.Equal),
        (">", AuditOperator.GreaterThan),
        ("<", AuditOperator.LessThan),
        ("&", AuditOperator.BitMask),
    ];

    public static string SymbolOf(AuditOperator op) => op switch
    {
        AuditOperator.BitMask => "&",
        AuditOperator.LessThan => "<",
        AuditOperator.GreaterThan => ">",
        AuditOperator.NotEqual => "!=",
        AuditOperator.Equal => "=",
        AuditOperator.BitTest => "&=",
        AuditOperator.LessThanOrEqual => "<=",
        AuditOperator.GreaterThanOrEqual => ">=",
        _ => "?",
    };

    public static bool IsDefined(uint op) => Enum.IsDefined((AuditOperator)op);
}
