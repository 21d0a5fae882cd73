using KmodGuard.Core.Decisions;

namespace KmodGuard.Core.Policy;

/// <summary>A validated policy document, before compilation.</summary>
public sealed record PolicyDefinition(
    int Version,
    PolicyMode Mode,
    Verdict Default,
    bool LockAfterBaseline,
    IReadOnlyList<RuleDefinition> Rules);

/// <summary>One rule as written, with its location for explanations.</summary>
public sealed record RuleDefinition(
    string Id,
    string? Description,
    RuleAction Action,
    bool KillLoader,
    IReadOnlyList<ConditionDefinition> When,
    IReadOnlyList<ConditionDefinition> Unless,
    int Line);

/// <summary>
/// One condition: the activity's <see cref="Key"/> must equal (or glob-match) any of <see cref="Values"/>.
/// Values are canonical text: words lowercase, sha256 lowercase hex, integers in decimal, booleans "true"/"false".
/// </summary>
public sealed record ConditionDefinition(ConditionKey Key, IReadOnlyList<string> Values);
