using System.Text;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>The short human sentence that is a decision record's body.</summary>
public static class DecisionSentence
{
    /// <summary>E.g. "Denied load of module 'x' from /tmp/x.ko by insmod (pid 123): rule deny-temp-paths".</summary>
    public static string For(ModuleActivity activity, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(decision);
        var sb = new StringBuilder(128);
        if (decision.IsUpdate)
        {
            sb.Append("Update: ");
        }

        sb.Append(decision switch
        {
            { Verdict: Verdict.Deny, Action: EnforcementAction.WouldDeny } => "Would deny ",
            { Verdict: Verdict.Deny } => "Denied ",
            { RuleAction: RuleAction.Alert } => "Alert: allowed ",
            _ => "Allowed ",
        });

        if (activity.Operation == ModuleOperation.PersistenceChange)
        {
            sb.Append("persistence change to ").Append(Printable(activity.ChangedPath ?? "an unknown file"));
        }
        else
        {
            sb.Append(activity.Operation == ModuleOperation.Load ? "load of " : "unload of ");
            sb.Append(activity.Module.Name is { } name ? $"module '{Printable(name)}'" : "an unnamed module");
            if (activity.Module.FilePath is { } path)
            {
                sb.Append(" from ").Append(Printable(path));
            }
        }

        LoaderProcess p = activity.Process;
        if (p.Name is not null || p.Pid is not null)
        {
            sb.Append(" by ").Append(Printable(p.Name ?? "process"));
            if (p.Pid is int pid)
            {
                sb.Append(" (pid ").Append(pid).Append(')');
            }
        }

        if (activity.Container is { InContainer: true } c)
        {
            sb.Append(" in container ").Append(Printable(c.Id ?? "(unknown id)"));
        }

        sb.Append(": ").Append(decision.RuleId is { } id ? $"rule {id}" : "no rule matched, policy default");
        if (decision.Action is EnforcementAction.Unloaded or EnforcementAction.UnloadFailed or EnforcementAction.KilledLoader or EnforcementAction.Blocked)
        {
            sb.Append("; ").Append(Words.Of(decision.Action));
            if (decision.ActionError is { } err)
            {
                sb.Append(" (").Append(err).Append(')');
            }
        }

        return sb.ToString();
    }

    /// <summary>Control characters from hostile names must not forge lines in logs.</summary>
    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\0', '\x1f') && !text.Contains('\x7f', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c < ' ' || c == '\x7f')
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
