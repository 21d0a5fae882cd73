using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>platform, operation, signature: a bit per allowed word.</summary>
internal sealed class WordCondition(ConditionKey key, IEnumerable<int> wordIndexes) : CompiledCondition(key)
{
    private readonly uint _mask = wordIndexes.Aggregate(0u, (m, i) => m | (1u << i));

    public bool Allows(int wordIndex) => (_mask & (1u << wordIndex)) != 0;

    public override bool Matches(ModuleActivity activity) => Allows(ActivityFields.GetWordIndex(activity, Key));
}
