using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// The audit rules KmodGuard installs, all with key <see cref="Key"/>: the module syscalls for the native and (where
/// there is one) the 32-bit compat architecture; exec watches on the module tools that exist, resolved through
/// symlinks and deduplicated, so their command lines are logged; and write/attribute watches on the module
/// persistence files and directories.
/// </summary>
internal sealed class KmodGuardRuleSet
{
    /// <summary>The key on every KmodGuard rule: the agent touches no rule without it.</summary>
    public const string Key = "kmodguard";

    public static IReadOnlyList<string> ModuleTools { get; } = ["/usr/bin/kmod", "/sbin/insmod", "/sbin/modprobe", "/sbin/rmmod", "/bin/busybox"];

    private const string ModuleSyscalls = "init_module,finit_module,delete_module";

    public KmodGuardRuleSet(RuleSetEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = new AuditRuleParseOptions(environment.MachineArch, environment.IsDirectory);
        var texts = new List<string>();
        bool is64 = (environment.MachineArch & AuditArch.Is64BitFlag) != 0;
        if (is64)
        {
            texts.Add($"-a always,exit -F arch=b64 -S {ModuleSyscalls} -F key={Key}");
        }

        if (!is64 || AuditArch.CompatOf(environment.MachineArch) is not null)
        {
            texts.Add($"-a always,exit -F arch=b32 -S {ModuleSyscalls} -F key={Key}");
        }

        foreach (string tool in ModuleTools.Where(environment.Exists).Select(environment.Canonicalize).Distinct(StringComparer.Ordinal))
        {
            texts.Add($"-w {Quote(tool)} -p x -k {Key}");
        }

        foreach (string path in ModulePersistencePaths.All.Select(environment.Canonicalize).Distinct(StringComparer.Ordinal))
        {
            texts.Add($"-w {Quote(path)} -p wa -k {Key}");
        }

        Rules = texts.Select(t =>
        {
            AuditRule rule = AuditRule.Parse(t, options);
            return new KmodGuardRule(rule.ToAuditctlText(environment.MachineArch), rule.ToWireFormat(), rule);
        }).ToArray();
    }

    public static KmodGuardRuleSet ForThisMachine() => new(RuleSetEnvironment.ThisMachine());

    public IReadOnlyList<KmodGuardRule> Rules { get; }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}

/// <summary>One rule: as <c>auditctl -l</c> lists it, and its <c>struct audit_rule_data</c> bytes (as the kernel lists them).</summary>
internal sealed record KmodGuardRule(string Text, byte[] Bytes, AuditRule Rule);
