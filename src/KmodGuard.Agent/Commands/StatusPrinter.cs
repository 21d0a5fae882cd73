using System.Globalization;
using KmodGuard.Agent.Status;

namespace KmodGuard.Agent.Commands;

/// <summary>The human form of <c>kmodguard status</c>.</summary>
internal static class StatusPrinter
{
    public static void WriteAgent(TextWriter o, StatusSnapshot s, DateTimeOffset now)
    {
        o.WriteLine($"kmodguard agent: running (pid {s.Pid}, version {s.Version}, up {Duration(now - s.StartedAt)})");
        o.WriteLine($"  audit:      {s.Audit.Mode} ({s.Audit.ModeReason}), {Count(s.Audit.RulesInstalled, "rule")} installed, kernel lost {s.Audit.KernelLost}");
        o.WriteLine($"  activity:   {Count(s.Events, "event")}, {Count(s.Decisions, "decision")} ({s.Denied} denied)");
        o.WriteLine($"  policy:     {s.Policy.Source}, sha256 {Short(s.Policy.Sha256)}, {Count(s.Policy.Rules, "rule")}, mode {s.Policy.Mode}, loaded {s.Policy.LoadedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z");
        string export = s.Telemetry.OtlpEndpoint is null ? "console only" : $"otlp {s.Telemetry.OtlpEndpoint}";
        o.WriteLine($"  telemetry:  {export}, queue {s.Telemetry.QueueDepth}, export failures {s.Telemetry.ExportFailures}");
    }

    public static void WriteNotRunning(TextWriter o, StatusReport r)
    {
        o.WriteLine($"kmodguard agent: {(r.Running ? "running" : "not running")}: {r.Reason}");
        if (r.Kernel is not { } k)
        {
            o.WriteLine($"kernel audit status: unavailable: {r.KernelError}");
            return;
        }

        o.WriteLine("kernel audit status:");
        o.WriteLine($"  enabled:            {k.Enabled} ({k.Enabled switch { 0 => "off", 1 => "on", 2 => "on, locked until reboot", _ => "unknown" }})");
        o.WriteLine($"  failure:            {k.Failure} ({k.Failure switch { 0 => "silent", 1 => "printk", 2 => "panic", _ => "unknown" }})");
        o.WriteLine($"  audit daemon:       {(k.Pid == 0 ? "none" : $"pid {k.Pid}{(k.Daemon is null ? "" : $" ({k.Daemon})")}")}");
        o.WriteLine($"  rate_limit:         {k.RateLimit}");
        o.WriteLine($"  backlog_limit:      {k.BacklogLimit}");
        o.WriteLine($"  backlog:            {k.Backlog}");
        o.WriteLine($"  lost:               {k.Lost}");
        o.WriteLine($"  backlog_wait_time:  {k.BacklogWaitTime}");
    }

    private static string Count(long n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Short(string sha256) => sha256.Length > 16 ? sha256[..16] : sha256;

    internal static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero)
        {
            t = TimeSpan.Zero;
        }

        return t.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays}d {t.Hours}h")
            : t.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Hours}h {t.Minutes}m")
            : t.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m {t.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Seconds}s");
    }
}
