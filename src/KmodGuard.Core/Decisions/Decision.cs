using KmodGuard.Core.Events;

namespace KmodGuard.Core.Decisions;

/// <summary>The outcome of evaluating one <see cref="ModuleActivity"/> against a policy, and what was done about it.</summary>
public sealed record Decision
{
    public required Verdict Verdict { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>The rule that matched; null when the policy default applied.</summary>
    public string? RuleId { get; init; }
    public string? RuleDescription { get; init; }

    /// <summary>The matched rule's own action (alert is reported as verdict allow).</summary>
    public RuleAction? RuleAction { get; init; }

    public required string Reason { get; init; }
    public required PolicyMode Mode { get; init; }
    public EnforcementAction Action { get; init; } = EnforcementAction.None;

    /// <summary>errno of a failed enforcement step (unload_failed).</summary>
    public string? ActionError { get; init; }

    /// <summary>MITRE ATT&amp;CK technique ids.</summary>
    public required IReadOnlyList<string> Techniques { get; init; }

    /// <summary>True for a record that completes an earlier one for the same activity (same <c>kmodguard.activity.id</c>):
    /// enrichment that finished after the decision, or a kernel message that arrived late.</summary>
    public bool IsUpdate { get; init; }

    /// <summary>SHA-256 prefix of the policy document that decided.</summary>
    public string? PolicyHash { get; init; }
}
