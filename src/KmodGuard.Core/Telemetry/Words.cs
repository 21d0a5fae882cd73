using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>The lowercase words the policy language and the telemetry schema use for enum values.</summary>
public static class Words
{
    public static string Of(Verdict v) => v == Verdict.Deny ? "deny" : "allow";

    public static string Of(PolicyMode m) => m == PolicyMode.Enforce ? "enforce" : "monitor";

    public static string Of(RuleAction a) => a switch
    {
        RuleAction.Deny => "deny",
        RuleAction.Alert => "alert",
        _ => "allow",
    };

    public static string Of(Severity s) => s switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        _ => "info",
    };

    public static string Of(EnforcementAction a) => a switch
    {
        EnforcementAction.Blocked => "blocked",
        EnforcementAction.Unloaded => "unloaded",
        EnforcementAction.UnloadFailed => "unload_failed",
        EnforcementAction.WouldDeny => "would_deny",
        EnforcementAction.KilledLoader => "killed_loader",
        _ => "none",
    };

    public static string Of(ModuleOperation o) => o switch
    {
        ModuleOperation.Load => "load",
        ModuleOperation.Unload => "unload",
        _ => "persistence_change",
    };

    public static string Of(SignatureStatus s) => s switch
    {
        SignatureStatus.SignedTrusted => "signed-trusted",
        SignatureStatus.SignedUntrusted => "signed-untrusted",
        SignatureStatus.Invalid => "invalid",
        SignatureStatus.Unsigned => "unsigned",
        _ => "unknown",
    };

    /// <summary>OpenTelemetry os.type values.</summary>
    public static string OsTypeOf(Platform p) => p == Platform.Linux ? "linux" : "darwin";

    public static string Of(EsEventType t) => t switch
    {
        EsEventType.AuthKextLoad => "auth_kextload",
        EsEventType.NotifyKextLoad => "notify_kextload",
        _ => "notify_kextunload",
    };

    public static bool TryParse(string word, out ModuleOperation operation)
    {
        (bool ok, operation) = word switch
        {
            "load" => (true, ModuleOperation.Load),
            "unload" => (true, ModuleOperation.Unload),
            "persistence_change" => (true, ModuleOperation.PersistenceChange),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParse(string word, out SignatureStatus status)
    {
        (bool ok, status) = word switch
        {
            "signed-trusted" => (true, SignatureStatus.SignedTrusted),
            "signed-untrusted" => (true, SignatureStatus.SignedUntrusted),
            "invalid" => (true, SignatureStatus.Invalid),
            "unsigned" => (true, SignatureStatus.Unsigned),
            "unknown" => (true, SignatureStatus.Unknown),
            _ => (false, default),
        };
        return ok;
    }
}
