using KmodGuard.Core.Attack;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>
/// An immutable, compiled policy. <see cref="Evaluate"/> allocates nothing; <see cref="Decide"/> builds the
/// <see cref="Decision"/> record around it.
/// </summary>
public sealed class CompiledPolicy
{
    private const int PlatformCount = 2;
    private const int OperationCount = 3;

    private readonly CompiledRule[] _rules;
    private readonly RuleIndex[] _buckets;
    private readonly Decision[] _templates;

    internal CompiledPolicy(PolicyDefinition definition, string source, string sha256)
    {
        Definition = definition;
        Source = source;
        Sha256 = sha256;
        _rules = definition.Rules.Select(r => new CompiledRule(r)).ToArray();

        // One index per (platform, operation): a rule joins the buckets its platform/operation conditions allow.
        _buckets = new RuleIndex[PlatformCount * OperationCount];
        for (int p = 0; p < PlatformCount; p++)
        {
            for (int o = 0; o < OperationCount; o++)
            {
                int platform = p, operation = o;
                IEnumerable<int> members = Enumerable.Range(0, _rules.Length).Where(r =>
                    Allows(_rules[r], ConditionKey.Platform, platform) && Allows(_rules[r], ConditionKey.Operation, operation));
                _buckets[(p * OperationCount) + o] = new RuleIndex(_rules, members);
            }
        }

        _templates = definition.Rules.Select(r => CreateTemplate(r)).Append(CreateTemplate(null)).ToArray();
    }

    public PolicyDefinition Definition { get; }

    /// <summary>Where the policy came from (a path, or "embedded:default").</summary>
    public string Source { get; }

    /// <summary>Lowercase hex SHA-256 of the policy document's bytes.</summary>
    public string Sha256 { get; }

    public PolicyMode Mode => Definition.Mode;

    public IReadOnlyList<RuleDefinition> Rules => Definition.Rules;

    public PolicyMatch Evaluate(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        int platform = activity.Platform == Platform.Linux ? 0 : 1;
        int operation = activity.Operation switch
        {
            ModuleOperation.Load => 0,
            ModuleOperation.Unload => 1,
            _ => 2,
        };
        int rule = _buckets[(platform * OperationCount) + operation].FindFirst(activity, _rules);
        if (rule < 0)
        {
            return new PolicyMatch(-1, Definition.Default, null);
        }

        RuleAction action = _rules[rule].Definition.Action;
        return new PolicyMatch(rule, action == RuleAction.Deny ? Verdict.Deny : Verdict.Allow, action);
    }

    /// <summary>The same result as <see cref="Evaluate"/> by trying every rule in order: the baseline the index is measured against.</summary>
    internal int EvaluateByScan(ModuleActivity activity)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Matches(activity))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Evaluates and describes the outcome. In monitor mode a deny is recorded as <see cref="EnforcementAction.WouldDeny"/>;
    /// in enforce mode the action stays <see cref="EnforcementAction.None"/> until the platform has acted.</summary>
    public Decision Decide(ModuleActivity activity)
    {
        PolicyMatch match = Evaluate(activity);
        Decision template = _templates[match.IsDefault ? _templates.Length - 1 : match.RuleIndex];
        return template with { Techniques = AttackTechniques.For(activity) };
    }

    private Decision CreateTemplate(RuleDefinition? rule)
    {
        Verdict verdict = rule is null ? Definition.Default : rule.Action == RuleAction.Deny ? Verdict.Deny : Verdict.Allow;
        Severity severity = rule?.Action switch
        {
            RuleAction.Deny => Severity.High,
            RuleAction.Alert => Severity.Medium,
            RuleAction.Allow => Severity.Info,
            _ => verdict == Verdict.Deny ? Severity.High : Severity.Info,
        };
        string reason = rule is null
            ? $"no rule matched; policy default is {(verdict == Verdict.Deny ? "deny" : "allow")}"
            : rule.Description is null ? $"rule {rule.Id}" : $"rule {rule.Id}: {rule.Description}";
        return new Decision
        {
            Verdict = verdict,
            Severity = severity,
            RuleId = rule?.Id,
            RuleDescription = rule?.Description,
            RuleAction = rule?.Action,
            Reason = reason,
            Mode = Definition.Mode,
            Action = verdict == Verdict.Deny && Definition.Mode == PolicyMode.Monitor ? EnforcementAction.WouldDeny : EnforcementAction.None,
            Techniques = [],
            PolicyHash = Sha256,
        };
    }

    private static bool Allows(CompiledRule rule, ConditionKey key, int wordIndex) =>
        rule.When.OfType<WordCondition>().FirstOrDefault(c => c.Key == key) is not { } c || c.Allows(wordIndex);
}
