using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>A rule matches when every 'when' condition holds and not every 'unless' condition holds.</summary>
internal sealed class CompiledRule(RuleDefinition definition)
{
    private readonly CompiledCondition[] _when = definition.When.Select(CompiledCondition.Create).ToArray();
    private readonly CompiledCondition[] _unless = definition.Unless.Select(CompiledCondition.Create).ToArray();

    public RuleDefinition Definition { get; } = definition;

    public IReadOnlyList<CompiledCondition> When => _when;

    public bool Matches(ModuleActivity activity)
    {
        foreach (CompiledCondition c in _when)
        {
            if (!c.Matches(activity))
            {
                return false;
            }
        }

        if (_unless.Length == 0)
        {
            return true;
        }

        foreach (CompiledCondition c in _unless)
        {
            if (!c.Matches(activity))
            {
                return true;
            }
        }

        return false;
    }
}
