using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Benchmarks;

/// <summary>
/// The kernel-log path. "classify": every /dev/kmsg record is parsed and classified on the reader thread; the peer is
/// the obvious alternative, one regular expression over the decoded line. "decision path": attaching kernel messages to
/// an activity happens before its decision; the peer is the policy decision itself.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public partial class KernelLogBenchmarks
{
    // A mix as the Debian guest printed it: mostly other kernel messages, some module verdicts.
    private static readonly string[] Lines =
    [
        "6,368,2409761,-;bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.",
        "5,369,2878704,-;dummy: module verification failed: signature and/or required key missing - tainting kernel",
        "4,370,2927677,-;dummy: loading out-of-tree module taints kernel.",
        "6,160,649148,-;audit: initializing netlink subsys (enabled)",
        "4,373,2974651,-;dummy: Unknown symbol __rtnl_link_unregister (err -2)",
        "3,389,3009446,-;Module cordic is blacklisted",
        "6,310,1437639,-;alg: self-tests for CTR-KDF (hmac(sha256)) passed",
        "3,393,3023544,-;Invalid ELF header magic: != \\x7fELF",
    ];

    private static readonly DateTimeOffset Boot = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private byte[][] _records = [];
    private KernelMessageCorrelator _correlator = null!;
    private ModuleActivity _load = null!;
    private CompiledPolicy _policy = null!;

    [GeneratedRegex(@"^(?<prio>\d+),(?<seq>\d+),(?<ts>\d+),[^;]*;(?:(?<name>[^ :]+): (?:module verification failed: signature and/or required key missing - tainting kernel|loading out-of-tree module taints kernel\.|module license .* taints kernel\.|version magic '.*' should be '.*'|disagrees about version of symbol .*|Unknown symbol .*)|Module (?<bl>\S+) is blacklisted|Loading of .* is rejected|Invalid ELF header magic.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleMessage();

    [GlobalSetup]
    public void Setup()
    {
        _records = Lines.Select(Encoding.UTF8.GetBytes).ToArray();
        _policy = DefaultPolicy.Load();
        _load = new ModuleActivity
        {
            Id = "audit:1764324000.123:42",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            EventTime = Boot.AddSeconds(3),
            ReceiveTime = Boot.AddSeconds(3.001),
            Source = new LinuxAuditSource { SyscallName = "finit_module", Success = true },
            Module = new ModuleFacts { Name = "dummy", FilePath = "/lib/modules/6.1.0-56-cloud-amd64/kernel/drivers/net/dummy.ko", SignatureStatus = SignatureStatus.SignedTrusted },
            Process = new LoaderProcess { Pid = 4242, Name = "insmod", ExecutablePath = "/usr/bin/kmod" },
        };

        // Steady state: a few unrelated messages waiting, recent activities remembered; the taint read is a sysfs file in real life.
        _correlator = new KernelMessageCorrelator(TimeSpan.FromSeconds(2), _ => "");
        for (int i = 0; i < 8; i++)
        {
            _correlator.Observe(new KernelModuleMessage(KernelModuleMessageKind.OutOfTree, $"other{i}", $"other{i}: loading out-of-tree module taints kernel.", (ulong)i, TimeSpan.FromSeconds(3), Boot.AddSeconds(3)));
        }

        if (RegexClassify() != 5 || ParseAndClassify() != 5)
        {
            throw new InvalidOperationException("the peer and the classifier must find the same 5 module messages");
        }
    }

    [Benchmark(Baseline = true, Description = "regex over the decoded line (peer)")]
    [BenchmarkCategory("classify")]
    public int RegexClassify()
    {
        int found = 0;
        foreach (byte[] record in _records)
        {
            Match m = ModuleMessage().Match(Encoding.UTF8.GetString(record));
            found += m.Success ? 1 : 0;
        }

        return found;
    }

    [Benchmark(Description = "KmsgParser + classifier")]
    [BenchmarkCategory("classify")]
    public int ParseAndClassify()
    {
        int found = 0;
        foreach (byte[] record in _records)
        {
            if (KmsgParser.TryParse(record, out KmsgRecord? r, out _) && KernelModuleMessageClassifier.Classify(r, Boot) is not null)
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(Baseline = true, Description = "policy decision (peer)")]
    [BenchmarkCategory("decision path")]
    public Decision Decide() => _policy.Decide(_load);

    [Benchmark(Description = "attach kernel messages")]
    [BenchmarkCategory("decision path")]
    public ModuleActivity Attach() => _correlator.Attach(_load);
}
