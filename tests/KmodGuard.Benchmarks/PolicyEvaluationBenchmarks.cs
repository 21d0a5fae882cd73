using BenchmarkDotNet.Attributes;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Benchmarks;

/// <summary>
/// One evaluation against the default policy and against a generated 10,000-rule policy (exact names, hashes,
/// path globs). The peer is the same compiled rules tried one by one in order (no index), measured in the same run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PolicyEvaluationBenchmarks
{
    private CompiledPolicy _default = null!;
    private CompiledPolicy _large = null!;
    private ModuleActivity _typicalLoad = null!;
    private ModuleActivity[] _probes = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _default = DefaultPolicy.Load();
        _large = LargePolicy.Compile(10_000, seed: 1);
        // A signed in-tree module: passes every default rule's test and falls through to the default (the longest path).
        _typicalLoad = LargePolicy.Probe(0, hit: false);
        _probes = [.. LargePolicy.Probes(_large.Definition, 1024, seed: 2)];
    }

    [Benchmark(Baseline = true, Description = "default policy, scan")]
    [BenchmarkCategory("default")]
    public int DefaultPolicyScan() => _default.EvaluateByScan(_typicalLoad);

    [Benchmark(Description = "default policy, compiled")]
    [BenchmarkCategory("default")]
    public int DefaultPolicyCompiled() => _default.Evaluate(_typicalLoad).RuleIndex;

    [Benchmark(Baseline = true, Description = "10k rules, scan")]
    [BenchmarkCategory("large")]
    public int LargePolicyScan() => _large.EvaluateByScan(_probes[_next++ & 1023]);

    [Benchmark(Description = "10k rules, compiled")]
    [BenchmarkCategory("large")]
    public int LargePolicyCompiled() => _large.Evaluate(_probes[_next++ & 1023]).RuleIndex;
}
