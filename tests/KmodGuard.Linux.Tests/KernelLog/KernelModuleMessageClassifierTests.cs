using System.Text;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Linux.Tests.KernelLog;

public class KernelModuleMessageClassifierTests
{
    private static readonly DateTimeOffset Boot = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static KernelModuleMessage? Classify(string record)
    {
        Assert.True(KmsgParser.TryParse(Encoding.UTF8.GetBytes(record), out KmsgRecord? r, out string? error), error);
        return KernelModuleMessageClassifier.Classify(r, Boot);
    }

    [Fact]
    public void Finds_exactly_the_module_messages_of_the_real_capture()
    {
        var found = KmsgParserTests.Capture()
            .Select(r => KernelModuleMessageClassifier.Classify(r, Boot))
            .OfType<KernelModuleMessage>()
            .Select(m => $"{m.Kind} {m.ModuleName ?? "-"}")
            .ToList();

        Assert.Equal(
            [
                "SignatureMissing dummy", "OutOfTree dummy", "LicenseTaint dummy",
                .. Enumerable.Repeat("UnknownSymbol dummy", 16),
                "Blacklisted cordic", "Blacklisted cordic",
                "SymbolVersion crc7", "SymbolVersion crc7",
                "InvalidElf -", "InvalidElf -",
            ],
            found);
    }

    [Fact]
    public void Keeps_the_text_the_sequence_and_the_wall_clock_time()
    {
        KernelModuleMessage m = Classify("5,369,2878704,-;dummy: module verification failed: signature and/or required key missing - tainting kernel")!;
        Assert.Equal("dummy: module verification failed: signature and/or required key missing - tainting kernel", m.Text);
        Assert.Equal(369UL, m.Sequence);
        Assert.Equal(Boot + TimeSpan.FromMicroseconds(2878704), m.Time);
        Assert.False(m.LoadRefused);
        Assert.True(Classify("3,389,3009446,-;Module cordic is blacklisted")!.LoadRefused);
    }

    // Lines the capture could not produce on this kernel, written from the kernel's format strings
    // (kernel/module/signing.c, main.c, version.c, security/lockdown/lockdown.c).
    [Theory]
    [InlineData("5,1,1,-;Loading of unsigned module is rejected", "SignatureRejected", null)]
    [InlineData("5,1,1,-;Loading of module with unavailable key is rejected", "SignatureRejected", null)]
    [InlineData("5,1,1,-;Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown.7", "LockdownRejected", null)]
    [InlineData("3,1,1,-;crc7: version magic '6.12.117+deb12-cloud-amd64 SMP preempt mod_unload modversions ' should be '6.1.0-56-cloud-amd64 SMP preempt mod_unload modversions '", "VersionMagic", "crc7")]
    [InlineData("4,1,1,-;crc7: no symbol version for module_layout", "SymbolVersion", "crc7")]
    [InlineData("4,1,1,-;r8188eu: module is from the staging directory, the quality is unknown, you have been warned.", "Staging", "r8188eu")]
    [InlineData("4,1,1,-;dummy: module license taints kernel.", "LicenseTaint", "dummy")]
    [InlineData("4,1,1,-;dummy: no version for \"module_layout\" found: kernel tainted.", "ForcedLoad", "dummy")]
    public void Recognises_the_other_kernel_verdicts(string record, string kind, string? module)
    {
        KernelModuleMessage m = Classify(record)!;
        Assert.Equal(kind, m.Kind.ToString());
        Assert.Equal(module, m.ModuleName);
    }

    [Theory]
    [InlineData("13,1,1,-;evil: module verification failed: signature and/or required key missing - tainting kernel")] // written by a process
    [InlineData("12,1,1,-;Module cordic is blacklisted")]
    [InlineData("4,1,1,-;a b: loading out-of-tree module taints kernel.")] // not a module name
    [InlineData("4,1,1,-;Disabling lock debugging due to kernel taint")]
    [InlineData("6,1,1,-;bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.")]
    [InlineData("6,1,1,-;Module  is blacklisted")]
    [InlineData("6,1,1,-;: loading out-of-tree module taints kernel.")]
    public void Ignores_forgeries_hostile_names_and_other_messages(string record) => Assert.Null(Classify(record));
}
