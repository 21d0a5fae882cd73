using System.Collections.Frozen;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy.Glob;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>
/// Finds the first matching rule without trying every rule. Each rule is filed under one string key of its
/// 'when' conditions whose values are all exact or prefix globs (exact values in a hash table, prefixes in a
/// trie); rules without such a key are always candidates. Evaluation gathers the candidate lists for the
/// activity's values and merges them in rule order, testing each candidate fully, until one matches.
/// </summary>
internal sealed class RuleIndex
{
    /// <summary>Most selective first: a hash or a name narrows far more than a process name.</summary>
    private static readonly ConditionKey[] IndexOrder =
    [
        ConditionKey.FileSha256,
        ConditionKey.ModuleName,
        ConditionKey.FilePath,
        ConditionKey.ProcessExecutable,
        ConditionKey.ProcessParentExecutable,
        ConditionKey.ProcessSigningId,
        ConditionKey.ProcessTeamId,
        ConditionKey.Signer,
        ConditionKey.ProcessName,
        ConditionKey.UserName,
    ];

    private sealed record KeyIndex(ConditionKey Key, FrozenDictionary<string, int[]> Exact, PrefixTrie? Prefixes);

    private readonly int[] _all;
    private readonly int[] _unindexed;
    private readonly KeyIndex[] _keys;

    public RuleIndex(IReadOnlyList<CompiledRule> rules, IEnumerable<int> members)
    {
        _all = members.ToArray();
        var unindexed = new List<int>();
        var exact = new Dictionary<ConditionKey, Dictionary<string, SortedSet<int>>>();
        var prefixes = new Dictionary<ConditionKey, List<(string, int)>>();
        foreach (int r in _all)
        {
            PatternCondition? chosen = ChooseIndexCondition(rules[r]);
            if (chosen is null)
            {
                unindexed.Add(r);
                continue;
            }

            StringComparer comparer = chosen.Key == ConditionKey.FileSha256 ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            ConditionDefinition def = rules[r].Definition.When.First(c => c.Key == chosen.Key);
            for (int i = 0; i < def.Values.Count; i++)
            {
                GlobPattern? glob = chosen.Patterns[i];
                if (glob is null || glob.IsLiteral)
                {
                    if (!exact.TryGetValue(chosen.Key, out var table))
                    {
                        exact[chosen.Key] = table = new Dictionary<string, SortedSet<int>>(comparer);
                    }

                    if (!table.TryGetValue(def.Values[i], out var set))
                    {
                        table[def.Values[i]] = set = [];
                    }

                    set.Add(r);
                }
                else
                {
                    if (!prefixes.TryGetValue(chosen.Key, out var list))
                    {
                        prefixes[chosen.Key] = list = [];
                    }

                    list.Add((glob.LiteralPrefix, r));
                }
            }
        }

        _unindexed = [.. unindexed];
        _keys = IndexOrder
            .Where(k => exact.ContainsKey(k) || prefixes.ContainsKey(k))
            .Select(k => new KeyIndex(
                k,
                exact.TryGetValue(k, out var t)
                    ? t.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), (StringComparer)t.Comparer)
                    : FrozenDictionary<string, int[]>.Empty,
                prefixes.TryGetValue(k, out var p) ? new PrefixTrie(p) : null))
            .ToArray();
    }

    /// <summary>The rule's first condition, in <see cref="IndexOrder"/>, whose every value is exact or has a literal prefix.</summary>
    private static PatternCondition? ChooseIndexCondition(CompiledRule rule)
    {
        foreach (ConditionKey key in IndexOrder)
        {
            foreach (CompiledCondition c in rule.When)
            {
                if (c.Key == key && c is PatternCondition p && p.Patterns.All(g => g is null || g.IsLiteral || g.LiteralPrefix.Length > 0))
                {
                    return p;
                }
            }
        }

        return null;
    }

    /// <summary>The index of the first rule (in policy order) that matches, or -1.</summary>
    public int FindFirst(ModuleActivity activity, CompiledRule[] rules)
    {
        CandidateLists storage = default;
        Span<int[]> lists = storage;
        int count = 0;
        if (_unindexed.Length > 0)
        {
            lists[count++] = _unindexed;
        }

        foreach (KeyIndex key in _keys)
        {
            // Rules filed under a key require a value for it: an unknown value rules them all out.
            string? value = ActivityFields.GetString(activity, key.Key);
            if (value is null)
            {
                continue;
            }

            if (key.Exact.TryGetValue(value, out int[]? list))
            {
                if (count == lists.Length)
                {
                    return Scan(activity, rules);
                }

                lists[count++] = list;
            }

            if (key.Prefixes is not null && !key.Prefixes.Collect(value, lists, ref count))
            {
                return Scan(activity, rules);
            }
        }

        return Merge(activity, rules, lists[..count]);
    }

    private static int Merge(ModuleActivity activity, CompiledRule[] rules, Span<int[]> lists)
    {
        Span<int> positions = stackalloc int[lists.Length];
        while (true)
        {
            int best = int.MaxValue;
            for (int i = 0; i < lists.Length; i++)
            {
                int[] list = lists[i];
                if (positions[i] < list.Length && list[positions[i]] < best)
                {
                    best = list[positions[i]];
                }
            }

            if (best == int.MaxValue)
            {
                return -1;
            }

            if (rules[best].Matches(activity))
            {
                return best;
            }

            for (int i = 0; i < lists.Length; i++)
            {
                int[] list = lists[i];
                while (positions[i] < list.Length && list[positions[i]] == best)
                {
                    positions[i]++;
                }
            }
        }
    }

    /// <summary>Fallback when more candidate lists turn up than fit on the stack: try every rule in order.</summary>
    private int Scan(ModuleActivity activity, CompiledRule[] rules)
    {
        foreach (int r in _all)
        {
            if (rules[r].Matches(activity))
            {
                return r;
            }
        }

        return -1;
    }
}
