using KmodGuard.Core.Decisions;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>The allocation-free result of evaluating one activity: which rule matched (or the default) and the verdict.</summary>
public readonly record struct PolicyMatch(int RuleIndex, Verdict Verdict, RuleAction? RuleAction)
{
    public bool IsDefault => RuleIndex < 0;
}
