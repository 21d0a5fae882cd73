using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// What auditctl takes from the machine when it builds a rule: the architecture (<c>b64</c>/<c>b32</c>, and <c>-S</c>
/// without an arch field) and whether a <c>-w</c> path is a directory (a directory watch is a different field).
/// </summary>
internal sealed record AuditRuleParseOptions(uint MachineArch, Func<string, bool> IsDirectory)
{
    public static AuditRuleParseOptions ForThisMachine() => new(AuditArch.OfThisMachine(), Directory.Exists);
}
