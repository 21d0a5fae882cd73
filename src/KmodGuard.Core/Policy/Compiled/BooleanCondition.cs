using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

internal sealed class BooleanCondition(ConditionKey key, bool expected) : CompiledCondition(key)
{
    public override bool Matches(ModuleActivity activity) => ActivityFields.GetBoolean(activity, Key) == expected;
}
