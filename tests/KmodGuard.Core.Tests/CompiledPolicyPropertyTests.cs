using CsCheck;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Policy.Explain;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Core.Tests;

/// <summary>The compiled, indexed evaluator must agree with the straightforward reference interpretation.</summary>
public class CompiledPolicyPropertyTests
{
    private static readonly string Hash = new('a', 64);

    private static readonly string[] Names = ["crc7", "crc7x", "cordic", "reptile_module", "diamorphine", "a b"];
    private static readonly string[] NamePatterns = ["crc7", "crc*", "*7", "c?rdic", "reptile*", "diamorphine", "*", "a b"];
    private static readonly string[] Paths = ["/tmp/x.ko", "/tmp/a/b.ko", "/lib/modules/6.1/kernel/crc7.ko", "/home/u/x.ko", "/opt/v/x.ko", "x.ko"];
    private static readonly string[] PathPatterns = ["/tmp/**", "/tmp/*", "/lib/**/crc7.ko", "**/x.ko", "/home/*/x.ko", "/t?p/**", "/opt/v/x.ko", "/lib/modules/**", "**"];
    private static readonly string[] Processes = ["insmod", "modprobe", "rmmod", "evil", "kmod"];
    private static readonly string[] Exes = ["/usr/bin/kmod", "/tmp/evil", "/bin/busybox"];
    private static readonly string[] ExePatterns = ["/usr/bin/kmod", "/usr/**", "/tmp/*", "*"];
    private static readonly string[] Hashes = [Hash, new('b', 64), new('c', 64)];

    private static readonly Gen<ConditionDefinition> Condition = Gen.OneOf(
        Gen.OneOf("linux", "macos").Array[1, 2].Select(v => C(ConditionKey.Platform, v)),
        Gen.OneOf("load", "unload", "persistence_change").Array[1, 2].Select(v => C(ConditionKey.Operation, v)),
        Gen.OneOf(NamePatterns).Array[1, 3].Select(v => C(ConditionKey.ModuleName, v)),
        Gen.OneOf(PathPatterns).Array[1, 3].Select(v => C(ConditionKey.FilePath, v)),
        Gen.OneOf(Hashes).Array[1, 2].Select(v => C(ConditionKey.FileSha256, v)),
        Gen.OneOf("signed-trusted", "signed-untrusted", "invalid", "unsigned", "unknown").Array[1, 3].Select(v => C(ConditionKey.Signature, v)),
        Gen.OneOf(Processes).Array[1, 2].Select(v => C(ConditionKey.ProcessName, v)),
        Gen.OneOf(ExePatterns).Array[1, 2].Select(v => C(ConditionKey.ProcessExecutable, v)),
        Gen.OneOf("0", "1000").Array[1, 2].Select(v => C(ConditionKey.UserId, v)),
        Gen.OneOf("true", "false").Select(v => C(ConditionKey.Container, v)));

    private static readonly Gen<ConditionDefinition[]> Conditions =
        Condition.Array[0, 4].Select(cs => cs.DistinctBy(c => c.Key).ToArray());

    private static readonly Gen<PolicyDefinition> Policies =
        Gen.Select(Conditions, Conditions, Gen.OneOf(RuleAction.Allow, RuleAction.Deny, RuleAction.Alert))
            .Array[0, 25]
            .Select(Gen.OneOf(Verdict.Allow, Verdict.Deny), (rules, def) => new PolicyDefinition(
                1,
                PolicyMode.Enforce,
                def,
                false,
                rules.Select((r, i) => new RuleDefinition($"r{i}", null, r.Item3, false, r.Item1, r.Item2.Length > 0 && i % 3 == 0 ? r.Item2 : [], i + 1)).ToArray()));

    private static readonly Gen<ModuleActivity> ActivitiesGen =
        Gen.Select(
            Gen.Select(Gen.OneOf(Platform.Linux, Platform.MacOS), Gen.OneOf(ModuleOperation.Load, ModuleOperation.Unload, ModuleOperation.PersistenceChange)),
            Gen.Select(Gen.OneOf(Names).Null(), Gen.OneOf(Paths).Null(), Gen.OneOf(Hashes).Null()),
            Gen.Select(Gen.OneOf(Processes).Null(), Gen.OneOf(Exes).Null(), Gen.OneOf(0, 1000).Nullable()),
            Gen.Select(Gen.Enum<SignatureStatus>(), Gen.OneOf(0, 1, 2)))
        .Select(t => new ModuleActivity
        {
            Platform = t.Item1.Item1,
            Operation = t.Item1.Item2,
            ReceiveTime = Activities.Time,
            Module = new ModuleFacts { Name = t.Item2.Item1, FilePath = t.Item2.Item2, Sha256 = t.Item2.Item3, SignatureStatus = t.Item4.Item1 },
            Process = new LoaderProcess { Name = t.Item3.Item1, ExecutablePath = t.Item3.Item2, UserId = t.Item3.Item3 },
            Container = t.Item4.Item2 switch
            {
                0 => null,
                1 => ContainerContext.Host,
                _ => ContainerContext.Container("c1", "docker"),
            },
        });

    private static ConditionDefinition C(ConditionKey key, string[] values) => new(key, values.Distinct().ToArray());

    private static ConditionDefinition C(ConditionKey key, string value) => new(key, [value]);

    [Fact]
    public void Compiled_evaluator_agrees_with_the_reference_interpretation()
    {
        Gen.Select(Policies, ActivitiesGen.Array[1, 20]).Sample((definition, activities) =>
        {
            var compiled = new CompiledPolicy(definition, "generated", Hash);
            foreach (ModuleActivity a in activities)
            {
                PolicyMatch fast = compiled.Evaluate(a);
                PolicyExplanation slow = PolicyExplainer.Explain(definition, a);
                if (fast.RuleIndex != slow.MatchedRuleIndex || fast.Verdict != slow.Verdict)
                {
                    return false;
                }
            }

            return true;
        }, iter: 3000);
    }

    [Fact]
    public void Large_indexed_policy_agrees_with_the_reference_interpretation()
    {
        PolicyDefinition big = LargePolicy.Generate(2000, seed: 7);
        var compiled = new CompiledPolicy(big, "large", Hash);
        foreach (ModuleActivity a in LargePolicy.Probes(big, 500, seed: 11))
        {
            PolicyExplanation slow = PolicyExplainer.Explain(big, a);
            Assert.Equal(slow.MatchedRuleIndex, compiled.Evaluate(a).RuleIndex);
        }
    }
}
