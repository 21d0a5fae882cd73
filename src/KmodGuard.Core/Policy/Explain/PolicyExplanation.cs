using KmodGuard.Core.Decisions;

namespace KmodGuard.Core.Policy.Explain;

/// <summary>One condition's outcome: what the rule expected, what the activity had, and whether it held.</summary>
public sealed record ConditionExplanation(string Key, IReadOnlyList<string> Expected, string? Actual, bool Holds);

/// <summary>One rule tried during evaluation.</summary>
public sealed record RuleExplanation(
    string RuleId,
    RuleAction Action,
    IReadOnlyList<ConditionExplanation> When,
    IReadOnlyList<ConditionExplanation> Unless,
    bool Matched);

/// <summary>Every rule tried, in order, up to the one that matched; then the verdict.</summary>
public sealed record PolicyExplanation(IReadOnlyList<RuleExplanation> Rules, string? MatchedRuleId, int MatchedRuleIndex, Verdict Verdict);
