namespace KmodGuard.Linux.Audit.Rules;

/// <summary>Which rules in a kernel listing carry a given key.</summary>
internal static class AuditRuleKeys
{
    /// <summary>True when <paramref name="rule"/> (kernel audit_rule_data) has <paramref name="key"/> among its keys.
    /// A rule we cannot decode is not ours: we only ever touch rules we can prove carry our key.</summary>
    public static bool Has(ReadOnlySpan<byte> rule, string key)
    {
        try
        {
            return AuditRule.FromWireFormat(rule).Keys.Contains(key, StringComparer.Ordinal);
        }
        catch (AuditRuleException)
        {
            return false;
        }
    }
}
