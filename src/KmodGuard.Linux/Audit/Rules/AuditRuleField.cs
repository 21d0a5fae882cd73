namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// One field of a rule: its id (<see cref="AuditFieldIds"/>), operator, and either a number or, for string fields,
/// the string's bytes (the wire value is then the string's length).
/// </summary>
internal readonly record struct AuditRuleField(uint Id, AuditOperator Operator, uint Value, byte[]? Data = null)
{
    public bool IsString => Data is not null;

    /// <summary>The string value as text (non-UTF-8 bytes escaped), or null for numeric fields.</summary>
    public string? Text => Data is null ? null : Records.AuditValue.ToPrintableString(Data);
}
