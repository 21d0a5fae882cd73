using System.Globalization;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Core.Policy.Explain;

/// <summary>
/// Evaluates a policy the straightforward way — every rule in order, every condition, globs as regular
/// expressions — and records why. Slow by design; it is the reference the compiled evaluator must agree with.
/// </summary>
public static class PolicyExplainer
{
    public static PolicyExplanation Explain(PolicyDefinition policy, ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(activity);
        var tried = new List<RuleExplanation>();
        for (int i = 0; i < policy.Rules.Count; i++)
        {
            RuleDefinition rule = policy.Rules[i];
            ConditionExplanation[] when = rule.When.Select(c => Check(c, activity)).ToArray();
            ConditionExplanation[] unless = rule.Unless.Select(c => Check(c, activity)).ToArray();
            bool matched = when.All(c => c.Holds) && !(unless.Length > 0 && unless.All(c => c.Holds));
            tried.Add(new RuleExplanation(rule.Id, rule.Action, when, unless, matched));
            if (matched)
            {
                return new PolicyExplanation(tried, rule.Id, i, rule.Action == RuleAction.Deny ? Verdict.Deny : Verdict.Allow);
            }
        }

        return new PolicyExplanation(tried, null, -1, policy.Default);
    }

    private static ConditionExplanation Check(ConditionDefinition condition, ModuleActivity activity)
    {
        string name = ConditionKeys.NameOf(condition.Key);
        string? actual = ActivityFields.Describe(activity, condition.Key);
        bool holds = actual is not null && ConditionKeys.Get(condition.Key).Kind switch
        {
            ConditionValueKind.Sha256 => condition.Values.Contains(actual.ToLower(CultureInfo.InvariantCulture)),
            ConditionValueKind.Pattern => condition.Values.Any(v => GlobRegex.Translate(v).IsMatch(actual)),
            _ => condition.Values.Contains(actual),
        };
        return new ConditionExplanation(name, condition.Values, actual, holds);
    }
}
