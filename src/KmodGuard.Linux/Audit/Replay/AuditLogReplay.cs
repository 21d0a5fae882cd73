using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Linux.Audit.Replay;

/// <summary>
/// Feeds auditd logs (RAW or ENRICHED) through the same <see cref="AuditPipeline"/> the live agent uses. Event timeouts
/// run on the records' own timestamps, since a log is read far faster than it was written. Call <see cref="Replay"/>
/// per file in written order, then <see cref="Finish"/>.
/// </summary>
internal sealed class AuditLogReplay
{
    private readonly AuditPipeline _pipeline;
    private string _file = "";
    private long _line;

    public AuditLogReplay(IAuditEventSink sink, TimeProvider? time = null)
    {
        _pipeline = new AuditPipeline(sink, new AuditAssemblyOptions { UseRecordTime = true }, time);
    }

    /// <summary>"audit.log:42": where the record being processed came from (for diagnostics from the sink); at the end, the last file.</summary>
    public string Location => _line > 0 ? $"{_file}:{_line}" : $"{_file} (end)";

    public AuditPipelineCounters Counters => _pipeline.Counters;

    public void Replay(string name, Stream log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _file = name;
        var reader = new AuditLogLineReader(log);
        while (reader.TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (line.Trim("\r "u8).IsEmpty)
            {
                continue;
            }

            _line = reader.LineNumber;
            _pipeline.PushLogLine(line);
        }
    }

    /// <summary>Closes the events still open at the end of the input and reports open serial gaps.</summary>
    public void Finish()
    {
        _line = 0;
        _pipeline.Flush();
    }
}
