using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Tests.Audit.Rules;

/// <summary>
/// The rule codec against the running kernel and the real auditctl: rules are added with auditctl under a key of
/// their own, then the kernel's bytes (AUDIT_LIST_RULES) must equal our encoding and <c>auditctl -l</c> must print what
/// our decoder prints. Only rules with that key are ever added or deleted, and they are deleted even on failure.
/// </summary>
[Collection(AuditSocketCollection.Name)]
public sealed class AuditctlOracleTests
{
    private const string TestKey = "kmodguard-codec-test";

    [SkippableFact]
    public void Rules_added_by_auditctl_are_listed_by_the_kernel_as_we_encode_and_print_them()
    {
        Skip.IfNot(TestEnvironment.IsRoot, "needs root (CAP_AUDIT_CONTROL) to add audit rules");
        Skip.If(TestEnvironment.FindTool("auditctl") is null, "needs auditctl (Debian package auditd)");
        (int status, string statusText, _) = Run("-s");
        Skip.If(status != 0, $"auditctl -s failed: the kernel has no audit support here ({statusText.Trim()})");
        Skip.If(statusText.Contains("enabled 2", StringComparison.Ordinal), "the audit configuration is locked (enabled 2)");

        DirectoryInfo temp = Directory.CreateTempSubdirectory("kmodguard-codec-test-");
        Directory.CreateDirectory(Path.Combine(temp.FullName, "dir"));
        File.WriteAllText(Path.Combine(temp.FullName, "file"), "");
        string t = temp.FullName;
        string[] rules =
        [
            .. KmodGuardRuleSet.ForThisMachine().Rules.Where(r => r.Rule.Fields.Any(f => f.Id == AuditFieldIds.Arch))
                .Select(r => r.Text.Replace($"key={KmodGuardRuleSet.Key}", $"key={TestKey}", StringComparison.Ordinal)),
            $"-w {t}/file -p x -k {TestKey}",
            $"-w {t}/dir/ -p wa -k {TestKey}",
            $"-w {t}/missing -k {TestKey}",
            $"-a always,exit -F arch=b64 -S execve -F pid=2147483000 -F uid=4000 -F auid>=1000 -F auid!=unset -F exe=/usr/bin/kmod -F key={TestKey}",
            $"-a always,exit -F dir={t}/dir/ -F perm=r -F pid=2147483001 -F key={TestKey}",
            $"-a always,exit -F arch=b64 -S clone -F a0&0x7C020000 -F exit=-EACCES -F pid=2147483002 -F key={TestKey} -k second",
            $"-a never,exit -F arch=b64 -S 400 -F ppid=1 -C auid!=obj_uid -F key={TestKey}",
            $"-a always,exit -S all -F pid=2147483003 -F key={TestKey}",
        ];

        try
        {
            DeleteTestRules();
            foreach (string rule in rules)
            {
                (int rc, _, string error) = Run(rule);
                Assert.True(rc == 0, $"auditctl {rule}: {error}");
            }

            string[] listed = Run("-l").Output.Split('\n').Where(l => l.Contains(TestKey, StringComparison.Ordinal)).ToArray();
            byte[][] kernel = KernelRuleListing.List().Where(b => AuditRule.FromWireFormat(b).Keys.Contains(TestKey)).ToArray();

            Assert.Equal(rules.Length, listed.Length);
            Assert.Equal(rules.Length, kernel.Length);
            for (int i = 0; i < rules.Length; i++)
            {
                AuditRule ours = AuditRule.Parse(rules[i]);
                Assert.Equal(Convert.ToHexString(kernel[i]), Convert.ToHexString(ours.ToWireFormat()));
                Assert.Equal(listed[i], AuditRule.FromWireFormat(kernel[i]).ToAuditctlText(AuditArch.OfThisMachine()));
                Assert.Equal(listed[i], ours.ToAuditctlText(AuditArch.OfThisMachine()));
            }
        }
        finally
        {
            DeleteTestRules();
            temp.Delete(recursive: true);
        }
    }

    private static void DeleteTestRules() => Run("-D", "-k", TestKey);

    private static (int Status, string Output, string Error) Run(params string[] args) =>
        TestEnvironment.Run(TestEnvironment.FindTool("auditctl")!, args.Length == 1 ? AuditRuleParser.Tokenize(args[0]) : args);
}
