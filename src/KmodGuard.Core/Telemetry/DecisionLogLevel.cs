using KmodGuard.Core.Decisions;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// The log level (OpenTelemetry severity) of a decision record: allow → Information, alert and deny → Warning,
/// an enforcement step that failed → Error.
/// </summary>
public static class DecisionLogLevel
{
    public static LogLevel Of(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision switch
        {
            { Action: EnforcementAction.UnloadFailed } or { ActionError: not null } => LogLevel.Error,
            { Verdict: Verdict.Deny } or { RuleAction: RuleAction.Alert } => LogLevel.Warning,
            _ => LogLevel.Information,
        };
    }

    /// <summary>The severity text OpenTelemetry's ILogger bridge writes for <paramref name="level"/>.</summary>
    public static string TextOf(LogLevel level) => level switch
    {
        LogLevel.Error => "Error",
        LogLevel.Warning => "Warning",
        _ => "Information",
    };
}
