using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

internal sealed class IntegerCondition(ConditionKey key, IEnumerable<int> values) : CompiledCondition(key)
{
    private readonly int[] _values = values.Distinct().ToArray();

    public override bool Matches(ModuleActivity activity) =>
        ActivityFields.GetInteger(activity, Key) is int v && Array.IndexOf(_values, v) >= 0;
}
