using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Tests.Audit.Rules;

/// <summary>
/// Listing text, checked against what <c>auditctl -l</c> (audit 3.0.9, Linux 6.18.44) printed for the same rules on
/// the development machine; the live oracle test repeats the comparison against the running kernel.
/// </summary>
public sealed class AuditRuleTextTests
{
    [Theory]
    [InlineData("-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -F key=k",
        "-a always,exit -F arch=b64 -S init_module,delete_module,finit_module -F key=k")]
    [InlineData("-a always,exit -F arch=b32 -S init_module,finit_module,delete_module -F key=k",
        "-a always,exit -F arch=b32 -S init_module,delete_module,finit_module -F key=k")]
    [InlineData("-w /tmp/w/file -p x -k k", "-w /tmp/w/file -p x -k k")]
    [InlineData("-w /tmp/w/dir/ -p wa -k k", "-w /tmp/w/dir -p wa -k k")]
    [InlineData("-w /tmp/w/missing -k k", "-w /tmp/w/missing -p rwxa -k k")]
    [InlineData("-a always,exit -F arch=b64 -S execve -F pid=1234567 -F uid=4000 -F auid>=1000 -F auid!=unset -F exe=/usr/bin/kmod -F key=k",
        "-a always,exit -F arch=b64 -S execve -F pid=1234567 -F uid=4000 -F auid>=1000 -F auid!=-1 -F exe=/usr/bin/kmod -F key=k")]
    [InlineData("-a always,exit -F dir=/tmp/w/dir/ -F perm=r -F auid>=1000 -F key=k",
        "-a always,exit -S all -F dir=/tmp/w/dir/ -F perm=r -F auid>=1000 -F key=k")]
    [InlineData("-a always,exit -F path=/tmp/w/file -F perm=x -F key=k", "-w /tmp/w/file -p x -k k")]
    [InlineData("-a always,exit -F arch=b64 -S clone -F a0&0x7C020000 -F exit=-EACCES -F success=0 -F key=k -k second",
        "-a always,exit -F arch=b64 -S clone -F a0&0x7C020000 -F exit=-EACCES -F success=0 -F key=k -F key=second")]
    [InlineData("-a never,exit -F arch=b64 -S 400 -F ppid=1 -C auid!=obj_uid -F key=k",
        "-a never,exit -F arch=b64 -S 400 -F ppid=1 -C auid!=obj_uid -F key=k")]
    [InlineData("-a always,exit -S all -F pid=1234568 -F key=k", "-a always,exit -S all -F pid=1234568 -F key=k")]
    [InlineData("-a never,user -F subj_type=crond_t", "-a never,user -F subj_type=crond_t")]
    [InlineData("-a exclude,always -F msgtype=CRYPTO_KEY_USER", "-a always,exclude -F msgtype=CRYPTO_KEY_USER")]
    [InlineData("-a always,exit -F arch=x86_64 -S adjtimex -F auid=unset -F uid=20", "-a always,exit -F arch=b64 -S adjtimex -F auid=-1 -F uid=20")]
    [InlineData("-a always,exit -F arch=b64 -S ptrace -F a0=0x4 -F key=k", "-a always,exit -F arch=b64 -S ptrace -F a0=0x4 -F key=k")]
    [InlineData("-a always,exit -F arch=aarch64 -S init_module,finit_module -F key=k", "-a always,exit -F arch=b64 -S init_module,finit_module -F key=k")]
    public void A_rule_lists_as_auditctl_lists_it(string rule, string listed)
    {
        var options = new AuditRuleParseOptions(AuditArch.X8664, path => path.EndsWith("/dir", StringComparison.Ordinal));

        AuditRule parsed = AuditRule.Parse(rule, options);

        Assert.Equal(listed, parsed.ToAuditctlText(AuditArch.X8664));
        Assert.Equal(listed, AuditRule.FromWireFormat(parsed.ToWireFormat()).ToAuditctlText(AuditArch.X8664));
    }

    [Fact]
    public void Unknown_architectures_and_field_ids_list_as_numbers()
    {
        AuditRule rule = AuditRule.Parse("-a always,exit -F arch=b64 -S 5 -F key=k", new AuditRuleParseOptions(AuditArch.X8664, _ => false));
        byte[] bytes = rule.ToWireFormat();
        BitConverter.TryWriteBytes(bytes.AsSpan(12 + 512), 0xC00000F3u); // arch value: riscv64, unknown to auditctl 3.0.9
        BitConverter.TryWriteBytes(bytes.AsSpan(12 + 256 + 4), 77u); // the key field becomes unknown field 77 ...
        BitConverter.TryWriteBytes(bytes.AsSpan(12 + 512 + 4), 3u); // ... with the value 3
        bytes = bytes[..AuditRule.HeaderSize];
        BitConverter.TryWriteBytes(bytes.AsSpan(12 + 1024), 0u);

        Assert.Equal("-a always,exit -F arch=0xC00000F3 -S 5 f77=3", AuditRule.FromWireFormat(bytes).ToAuditctlText(AuditArch.X8664));
    }
}
