using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Tests.Audit.Rules;

public sealed class AuditRuleParserTests
{
    private static readonly AuditRuleParseOptions X8664 = new(AuditArch.X8664, _ => false);

    [Theory]
    [InlineData("", "no rule")]
    [InlineData("-F key=k", "List must be given before field")]
    [InlineData("-a always,exit -F nosuch=1", "unknown field 'nosuch'")]
    [InlineData("-a always,exit -F pid", "missing operator")]
    [InlineData("-a always,exit -F pid=", "missing value")]
    [InlineData("-a always,exit -F arch=b64 -S nosuchcall", "syscall 'nosuchcall' is unknown for arch x86_64")]
    [InlineData("-a always,exit -S open -F arch=b64", "must come before -S")]
    [InlineData("-a always,exit -F arch=sparc", "unknown or impossible arch")]
    [InlineData("-a always,exit -F key=k", "key option needs a watch or syscall")]
    [InlineData("-a always,exit -F uid=nobody", "user names are not looked up")]
    [InlineData("-a always,exit -F exit=-ENOSUCH", "unknown errno name")]
    [InlineData("-a sometimes,exit", "lists are task, exit, user, exclude, filesystem")]
    [InlineData("-a possible,exit", "deprecated")]
    [InlineData("-a always,user -S open", "cannot be put on the user list")]
    [InlineData("-a always,user -F perm=r", "only valid on the exit list")]
    [InlineData("-a always,exit -F msgtype=SYSCALL", "only valid on the exclude and user lists")]
    [InlineData("-w relative/path", "must be absolute")]
    [InlineData("-w /x -p rwxz", "permission 'z' isn't supported")]
    [InlineData("-a always,exit -w /x", "can't be given with a syscall rule")]
    [InlineData("-d always,exit -S open", "only rule definitions")]
    [InlineData("-a always,exit -C uid<euid", "only = and != compare fields")]
    [InlineData("-a always,exit -C uid=pid", "cannot be compared")]
    [InlineData("-w \"/unterminated", "unterminated")]
    [InlineData("-a always,exit -F arch=b64 -S 2048", "unknown for arch")]
    public void Bad_rules_are_refused_with_the_reason(string rule, string reason)
    {
        var e = Assert.Throws<AuditRuleException>(() => AuditRule.Parse(rule, X8664));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_longer_than_the_kernels_limit_are_refused()
    {
        Assert.Throws<AuditRuleException>(() => AuditRule.Parse($"-w /x -k {new string('k', 257)}", X8664));
        // 1040-byte header + "/x" + 256 key bytes, padded to 4.
        Assert.Equal(1300, AuditRule.Parse($"-w /x -k {new string('k', 256)}", X8664).ToWireFormat().Length);
    }

    [Fact]
    public void Syscalls_may_be_given_by_number_and_repeated()
    {
        AuditRule byName = AuditRule.Parse("-a always,exit -F arch=b64 -S init_module -S finit_module -F key=k", X8664);
        AuditRule byNumber = AuditRule.Parse("-a always,exit -F arch=b64 -S 175,313 -F key=k", X8664);

        Assert.Equal(byName.ToWireFormat(), byNumber.ToWireFormat());
    }

    [Fact]
    public void B32_means_the_compat_architecture_of_the_machine()
    {
        uint Arch(uint machine) => AuditRule.Parse("-a always,exit -F arch=b32 -S init_module -F key=k", new AuditRuleParseOptions(machine, _ => false))
            .Fields.Single(f => f.Id == AuditFieldIds.Arch).Value;

        Assert.Equal(AuditArch.I386, Arch(AuditArch.X8664));
        Assert.Equal(AuditArch.Arm, Arch(AuditArch.Aarch64));
        Assert.Throws<AuditRuleException>(() => AuditRule.Parse("-a always,exit -F arch=b64 -S open", new AuditRuleParseOptions(AuditArch.I386, _ => false)));
    }

    [Fact]
    public void Kernel_bytes_that_do_not_hold_together_are_refused_with_the_reason()
    {
        byte[] good = AuditRule.Parse("-w /sbin/insmod -p x -k modules", X8664).ToWireFormat();

        Assert.Contains("needs at least 1040", Assert.Throws<AuditRuleException>(() => AuditRule.FromWireFormat(good.AsSpan(0, 100))).Message, StringComparison.Ordinal);

        byte[] tooManyFields = (byte[])good.Clone();
        BitConverter.TryWriteBytes(tooManyFields.AsSpan(8), 65u);
        Assert.Contains("field_count 65", Assert.Throws<AuditRuleException>(() => AuditRule.FromWireFormat(tooManyFields)).Message, StringComparison.Ordinal);

        byte[] longBuffer = (byte[])good.Clone();
        BitConverter.TryWriteBytes(longBuffer.AsSpan(12 + 1024), 5000u);
        Assert.Contains("buflen 5000", Assert.Throws<AuditRuleException>(() => AuditRule.FromWireFormat(longBuffer)).Message, StringComparison.Ordinal);

        byte[] longString = (byte[])good.Clone();
        BitConverter.TryWriteBytes(longString.AsSpan(12 + 512), 30u);
        Assert.Contains("claims 30 string bytes", Assert.Throws<AuditRuleException>(() => AuditRule.FromWireFormat(longString)).Message, StringComparison.Ordinal);

        byte[] badOperator = (byte[])good.Clone();
        BitConverter.TryWriteBytes(badOperator.AsSpan(12 + 768), 0x70000000u);
        Assert.Contains("unknown operator", Assert.Throws<AuditRuleException>(() => AuditRule.FromWireFormat(badOperator)).Message, StringComparison.Ordinal);
    }
}
