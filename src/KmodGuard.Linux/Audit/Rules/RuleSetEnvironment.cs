using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>What the rule set depends on: the machine's architecture and its file system (a seam for tests).</summary>
internal sealed record RuleSetEnvironment(uint MachineArch, Func<string, string> Canonicalize, Func<string, bool> Exists, Func<string, bool> IsDirectory)
{
    public static RuleSetEnvironment ThisMachine() => new(AuditArch.OfThisMachine(), CanonicalPath.Resolve, Path.Exists, Directory.Exists);
}
