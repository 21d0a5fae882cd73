using KmodGuard.Core.Events;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Agent.Commands;

/// <summary>
/// Where <c>kmodguard replay</c> sends the pipeline's output: each activity is decided by the policy and written as a
/// decision record (stdout); loss, configuration changes and skipped input become diagnostics (stderr) with their
/// file and line.
/// </summary>
internal sealed class ReplayEventSink(CompiledPolicy policy, IDecisionSink decisions, TextWriter diagnostics, Func<string> location) : IAuditEventSink
{
    /// <summary>After this many, malformed records are only counted (the summary gives the total).</summary>
    private const int MaxMalformedShown = 20;

    private int _malformedShown;

    public void OnActivity(ModuleActivity activity) => decisions.Record(activity, policy.Decide(activity));

    public void OnConfigChange(AuditConfigChange change) =>
        diagnostics.WriteLine($"{location()}: audit configuration change {change.Id}: "
            + DecisionSentence.Printable(string.Join(' ', change.Fields.Select(f => $"{f.Key}={f.Value}")))
            + $" by {DecisionSentence.Printable(change.Comm ?? "?")} (pid {change.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})");

    public void OnSerialsLost(AuditSerialGap gap) =>
        diagnostics.WriteLine($"{location()}: warning: {gap.Count} audit event(s) lost: serials {gap.First}..{gap.Last} never arrived");

    public void OnMalformedRecord(AuditMalformedRecord record)
    {
        if (_malformedShown++ < MaxMalformedShown)
        {
            diagnostics.WriteLine($"{location()}: skipped, not an audit record ({record.Error}): {record.Excerpt}");
        }
    }
}
