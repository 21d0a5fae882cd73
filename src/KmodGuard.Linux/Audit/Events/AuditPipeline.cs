using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// The one path from audit records to KmodGuard's events, shared by the live netlink reader and by replay: records in
/// (a netlink payload with its type, or an auditd log line), parsed, reassembled into events, mapped to module
/// activities, CONFIG_CHANGE events and loss reports for an <see cref="IAuditEventSink"/>. Bad input is counted and
/// reported, never thrown. Single-threaded: call it from one reader loop; <see cref="Counters"/> may be read from any thread.
/// </summary>
internal sealed class AuditPipeline : IAssembledEventHandler
{
    private readonly IAuditEventSink _sink;
    private readonly AuditEventAssembler _assembler;
    private readonly AuditActivityMapper _mapper;
    private long _records;
    private long _malformed;
    private long _ignored;
    private long _events;
    private long _activities;
    private long _configChanges;
    private long _lostSerials;

    public AuditPipeline(IAuditEventSink sink, AuditAssemblyOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        time ??= TimeProvider.System;
        _assembler = new AuditEventAssembler(this, options, time);
        _mapper = new AuditActivityMapper(time);
    }

    public AuditPipelineCounters Counters => new()
    {
        Records = Volatile.Read(ref _records),
        MalformedRecords = Volatile.Read(ref _malformed),
        IgnoredRecords = Volatile.Read(ref _ignored),
        Events = Volatile.Read(ref _events),
        Activities = Volatile.Read(ref _activities),
        ConfigChanges = Volatile.Read(ref _configChanges),
        LostSerials = Volatile.Read(ref _lostSerials),
        LateRecords = _assembler.LateRecords,
        TimedOutEvents = _assembler.TimedOutEvents,
        EvictedEvents = _assembler.EvictedEvents,
        OversizedRecords = _assembler.OversizedRecords,
        UnattributedModuleRecords = _mapper.UnattributedModuleRecords,
    };

    /// <summary>
    /// One audit record as the kernel sends it: the netlink message type and the payload after the 16-byte header
    /// (take one message per datagram: unicast <c>nlmsg_len</c> counts the payload only).
    /// </summary>
    public AuditParseError PushNetlink(int recordType, ReadOnlySpan<byte> payload)
    {
        AuditParseError error = AuditRecordParser.TryParseNetlink(recordType, payload, out AuditRecord record);
        return Accept(error, in record, payload);
    }

    /// <summary>One line of an auditd log (RAW or ENRICHED, with or without <c>node=</c>), newline optional.</summary>
    public AuditParseError PushLogLine(ReadOnlySpan<byte> line)
    {
        AuditParseError error = AuditRecordParser.TryParseLogLine(line, out AuditRecord record);
        return Accept(error, in record, line);
    }

    /// <summary>Closes events that waited too long and reports serial gaps past their deadline. Call when input is idle.</summary>
    public void Tick() => _assembler.Tick();

    /// <summary>Closes everything in flight (end of a replay, shutdown).</summary>
    public void Flush() => _assembler.Flush();

    void IAssembledEventHandler.OnEvent(AuditEvent auditEvent)
    {
        _events++;
        if (auditEvent.IndexOf(AuditRecordType.ConfigChange) >= 0)
        {
            foreach (AuditConfigChange change in ConfigChangeReader.Read(auditEvent))
            {
                _configChanges++;
                _sink.OnConfigChange(change);
            }
        }

        if (_mapper.Map(auditEvent) is { } activity)
        {
            _activities++;
            _sink.OnActivity(activity);
        }
    }

    void IAssembledEventHandler.OnSerialsLost(uint first, uint last, long count)
    {
        _lostSerials += count;
        _sink.OnSerialsLost(new AuditSerialGap(first, last, count));
    }

    private AuditParseError Accept(AuditParseError error, scoped in AuditRecord record, ReadOnlySpan<byte> input)
    {
        if (error == AuditParseError.BinaryRecord)
        {
            _ignored++;
            return error;
        }

        if (error != AuditParseError.None)
        {
            _malformed++;
            _sink.OnMalformedRecord(AuditMalformedRecord.Create(error, input));
            return error;
        }

        _records++;
        _assembler.Push(in record);
        return error;
    }
}
