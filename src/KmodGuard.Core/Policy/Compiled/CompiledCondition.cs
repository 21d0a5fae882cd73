using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>One condition, compiled for its value kind. An unknown activity value never matches.</summary>
internal abstract class CompiledCondition(ConditionKey key)
{
    public ConditionKey Key { get; } = key;

    public abstract bool Matches(ModuleActivity activity);

    public static CompiledCondition Create(ConditionDefinition definition)
    {
        ConditionKeys.Info info = ConditionKeys.Get(definition.Key);
        return info.Kind switch
        {
            ConditionValueKind.Word => new WordCondition(definition.Key, definition.Values.Select(v => Array.IndexOf(info.Words!, v))),
            ConditionValueKind.Integer => new IntegerCondition(definition.Key, definition.Values.Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture))),
            ConditionValueKind.Boolean => new BooleanCondition(definition.Key, definition.Values[0] == "true"),
            ConditionValueKind.Sha256 => new PatternCondition(definition.Key, definition.Values, StringComparer.OrdinalIgnoreCase),
            _ => new PatternCondition(definition.Key, definition.Values, StringComparer.Ordinal),
        };
    }
}
