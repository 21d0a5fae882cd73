using System.Collections.Frozen;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy.Glob;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>String keys: exact values in a frozen hash set, globs tried in order after it.</summary>
internal sealed class PatternCondition : CompiledCondition
{
    private readonly FrozenSet<string> _exact;
    private readonly GlobPattern[] _globs;

    public PatternCondition(ConditionKey key, IReadOnlyList<string> values, StringComparer comparer)
        : base(key)
    {
        // sha256 values never contain wildcards; every other value is a glob only if it has one.
        Patterns = values.Select(v => comparer == StringComparer.OrdinalIgnoreCase
            ? null
            : GlobPattern.TryParse(v, out GlobPattern? g, out _) ? g : null).ToArray();
        _exact = values.Where((v, i) => Patterns[i] is null || Patterns[i]!.IsLiteral).ToFrozenSet(comparer);
        _globs = Patterns.Where(p => p is { IsLiteral: false }).Select(p => p!).ToArray();
    }

    /// <summary>Per value: its glob, or null for sha256 values (always exact).</summary>
    internal GlobPattern?[] Patterns { get; }

    public override bool Matches(ModuleActivity activity)
    {
        string? value = ActivityFields.GetString(activity, Key);
        if (value is null)
        {
            return false;
        }

        if (_exact.Contains(value))
        {
            return true;
        }

        foreach (GlobPattern glob in _globs)
        {
            if (glob.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }
}
