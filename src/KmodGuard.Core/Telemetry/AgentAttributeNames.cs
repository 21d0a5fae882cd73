namespace KmodGuard.Core.Telemetry;

/// <summary>Attribute keys of agent events (see <see cref="AgentEventNames"/>); semantic-convention names where one exists.</summary>
public static class AgentAttributeNames
{
    public const string ServiceVersion = "service.version";
    public const string Mode = AttributeNames.Mode;
    public const string PreviousMode = "kmodguard.mode.previous";
    public const string PolicySha256 = AttributeNames.PolicySha256;
    public const string PolicyRuleCount = "kmodguard.policy.rules";
    public const string FilePath = AttributeNames.FilePath;
    public const string Reason = AttributeNames.Reason;
    public const string LostSource = "kmodguard.lost.source";
    public const string LostCount = "kmodguard.lost.count";
    public const string TamperKind = "kmodguard.tamper.kind";
    public const string ModuleName = AttributeNames.ModuleName;
    public const string Action = AttributeNames.Action;
    public const string ErrorType = "error.type";
    public const string ErrorMessage = "error.message";
    public const string ServerAddress = "server.address";
    public const string SuppressedCount = "kmodguard.telemetry.suppressed";
    public const string RecordCount = "kmodguard.telemetry.records";
}
