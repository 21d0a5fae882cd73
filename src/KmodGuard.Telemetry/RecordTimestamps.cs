using OpenTelemetry;
using OpenTelemetry.Logs;

namespace KmodGuard.Telemetry;

/// <summary>
/// Gives a decision record the decision's own times instead of the moment it was logged (which can be much later
/// for a record that waited in the queue or the spill): time = when the kernel reported the activity, observed
/// time = when KmodGuard received it — as in the console JSON. The ILogger API has no timestamp parameter, so the
/// writer sets them for its thread just around its log call and this processor, which runs inside that call,
/// applies them.
/// </summary>
internal sealed class RecordTimestamps : BaseProcessor<LogRecord>
{
    [ThreadStatic]
    private static (DateTime Time, DateTime Observed)? _pending;

    public static void Set(DateTimeOffset time, DateTimeOffset observed) => _pending = (time.UtcDateTime, observed.UtcDateTime);

    public static void Clear() => _pending = null;

    public override void OnEnd(LogRecord data)
    {
        if (_pending is { } p)
        {
            data.Timestamp = p.Time;
            data.ObservedTimestamp = p.Observed;
        }
    }
}
