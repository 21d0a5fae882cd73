using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// Generated policies of many rules mixing exact module names, file hashes and path globs, and activities that
/// probe them (hits on early, middle and late rules, and misses). Shared by tests and benchmarks.
/// </summary>
internal static class LargePolicy
{
    public static string HashOf(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("module-" + i.ToString(CultureInfo.InvariantCulture))));

    public static PolicyDefinition Generate(int count, int seed)
    {
        var random = new Random(seed);
        var rules = new List<RuleDefinition>(count);
        for (int i = 0; i < count; i++)
        {
            RuleAction action = (RuleAction)(i % 3);
            List<ConditionDefinition> when = (i % 3) switch
            {
                0 => [new(ConditionKey.ModuleName, [$"vendor_mod_{i}", $"vendor_mod_{i}_v2"])],
                1 => [new(ConditionKey.FileSha256, [HashOf(i)])],
                _ => [new(ConditionKey.FilePath, [$"/opt/vendor{i}/**", $"/srv/modules/m{i}/*.ko"])],
            };
            if (random.Next(4) == 0)
            {
                when.Add(new(ConditionKey.Signature, ["unsigned", "invalid", "signed-untrusted"]));
            }

            if (random.Next(5) == 0)
            {
                when.Add(new(ConditionKey.Operation, ["load"]));
            }

            IReadOnlyList<ConditionDefinition> unless = random.Next(10) == 0
                ? [new(ConditionKey.ProcessName, ["modprobe"])]
                : [];
            rules.Add(new RuleDefinition($"rule-{i}", $"generated rule {i}", action, false, when, unless, i + 5));
        }

        return new PolicyDefinition(1, PolicyMode.Enforce, Verdict.Allow, false, rules);
    }

    public static Core.Policy.Compiled.CompiledPolicy Compile(int count, int seed)
    {
        PolicyDefinition definition = Generate(count, seed);
        return new Core.Policy.Compiled.CompiledPolicy(definition, $"generated:{count}", new string('0', 64));
    }

    public static IEnumerable<ModuleActivity> Probes(PolicyDefinition policy, int count, int seed)
    {
        var random = new Random(seed);
        int n = policy.Rules.Count;
        for (int k = 0; k < count; k++)
        {
            int i = random.Next(n);
            bool hit = random.Next(4) != 0;
            yield return Probe(i, hit, random);
        }
    }

    /// <summary>An activity aimed at rule <paramref name="i"/>; with <paramref name="hit"/> false it misses every rule's key.</summary>
    public static ModuleActivity Probe(int i, bool hit, Random? random = null)
    {
        string name = hit && i % 3 == 0 ? $"vendor_mod_{i}" : "crc7";
        string? hash = hit && i % 3 == 1 ? HashOf(i) : HashOf(-1);
        string path = hit && i % 3 == 2 ? $"/opt/vendor{i}/drivers/net/x.ko" : "/lib/modules/6.1.0-56-amd64/kernel/lib/crc7.ko";
        return new ModuleActivity
        {
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            ReceiveTime = DateTimeOffset.UnixEpoch,
            Module = new ModuleFacts
            {
                Name = name,
                FilePath = path,
                Sha256 = hash,
                SignatureStatus = (random?.Next(3) ?? 0) == 0 ? SignatureStatus.Unsigned : SignatureStatus.SignedTrusted,
            },
            Process = new LoaderProcess { Pid = 100, Name = (random?.Next(5) ?? 1) == 0 ? "modprobe" : "insmod", ExecutablePath = "/usr/bin/kmod", UserId = 0 },
            Container = ContainerContext.Host,
        };
    }
}
