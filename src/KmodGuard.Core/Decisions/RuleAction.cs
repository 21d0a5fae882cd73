namespace KmodGuard.Core.Decisions;

/// <summary>What a policy rule asks for when it matches.</summary>
public enum RuleAction
{
    Allow,
    Deny,

    /// <summary>Allow, but report with raised severity.</summary>
    Alert,
}
