using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Groups records into events by serial. Records of different events interleave (one kernel queue fed by all CPUs)
/// and serials roll over. An event is complete on EOE, on PROCTITLE (the kernel's last record before EOE, and the last
/// one auditd writes to its log, which has no EOE), at once for single-record types, when it has been open longer than
/// the timeout, or when more than <see cref="AuditAssemblyOptions.MaxInFlight"/> are open (oldest first). Complete
/// events are handed on at once, not held back for earlier serials. Gaps in the serial numbering are reported as lost.
/// Single-threaded; allocation-free once its pool has warmed up.
/// </summary>
internal sealed class AuditEventAssembler
{
    /// <summary>How many closed serials are remembered to recognise late records (an EOE after PROCTITLE, or stragglers).</summary>
    private const int RecentCapacity = 512;

    private readonly IAssembledEventHandler _handler;
    private readonly TimeProvider _time;
    private readonly AuditAssemblyOptions _options;
    private readonly long _timeoutTicks;
    private readonly Dictionary<uint, AuditEvent> _inFlight;
    private readonly Stack<AuditEvent> _pool = new();
    private readonly uint[] _recent = new uint[RecentCapacity];
    private readonly SerialGapTracker _gaps = new();
    private readonly AuditEvent _standalone = new();
    private int _recentNext;
    private int _recentCount;
    private AuditEvent? _oldest;
    private AuditEvent? _newest;
    private long _recordClock;

    public AuditEventAssembler(IAssembledEventHandler handler, AuditAssemblyOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new AuditAssemblyOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxInFlight, 1);
        _time = time ?? TimeProvider.System;
        _timeoutTicks = _options.UseRecordTime
            ? (long)_options.Timeout.TotalMilliseconds
            : (long)(_options.Timeout.TotalSeconds * _time.TimestampFrequency);
        _inFlight = new Dictionary<uint, AuditEvent>(_options.MaxInFlight + 1);
    }

    public int InFlight => _inFlight.Count;

    /// <summary>Records that arrived after their event was closed (dropped; an EOE after PROCTITLE is not counted).</summary>
    public long LateRecords { get; private set; }

    public long TimedOutEvents { get; private set; }

    public long EvictedEvents { get; private set; }

    /// <summary>Records dropped because their event exceeded the per-event bounds.</summary>
    public long OversizedRecords { get; private set; }

    public void Push(scoped in AuditRecord record)
    {
        long now = Now(record.Timestamp);
        if (AuditRecordType.IsSingleRecordEvent(record.Type))
        {
            if (!AuditRecordType.IsDaemonRecord(record.Type))
            {
                _gaps.Observe(record.Serial, now + _timeoutTicks, _handler);
            }

            _standalone.Start(record.Serial, record.Timestamp, now);
            Add(_standalone, record);
            Emit(_standalone, AuditEventCompletion.LastRecord);
        }
        else if (_inFlight.TryGetValue(record.Serial, out AuditEvent? open))
        {
            if (record.Type != AuditRecordType.Eoe)
            {
                Add(open, record);
            }

            if (record.Type is AuditRecordType.Eoe or AuditRecordType.Proctitle)
            {
                Close(open, AuditEventCompletion.LastRecord);
            }
        }
        else if (WasClosed(record.Serial))
        {
            if (record.Type != AuditRecordType.Eoe)
            {
                LateRecords++;
            }
        }
        else
        {
            Open(record, now);
        }

        Expire(now);
    }

    /// <summary>Closes events (and reports serial gaps) that have waited longer than the timeout. Call it periodically when input is idle.</summary>
    public void Tick() => Expire(_options.UseRecordTime ? _recordClock : _time.GetTimestamp());

    /// <summary>Closes every open event, oldest first, and reports every open serial gap (end of input, shutdown).</summary>
    public void Flush()
    {
        while (_oldest is not null)
        {
            Close(_oldest, AuditEventCompletion.Flushed);
        }

        _gaps.Flush(_handler);
    }

    private void Open(scoped in AuditRecord record, long now)
    {
        _gaps.Observe(record.Serial, now + _timeoutTicks, _handler);
        if (record.Type == AuditRecordType.Eoe)
        {
            // An EOE with nothing before it: the rest of the event was lost (counted by the gap tracker, if at all).
            Remember(record.Serial);
            return;
        }

        AuditEvent e = _pool.Count > 0 ? _pool.Pop() : new AuditEvent();
        e.Start(record.Serial, record.Timestamp, now);
        Add(e, record);
        if (record.Type == AuditRecordType.Proctitle)
        {
            Remember(record.Serial);
            Emit(e, AuditEventCompletion.LastRecord);
            _pool.Push(e);
            return;
        }

        _inFlight.Add(record.Serial, e);
        e.Older = _newest;
        if (_newest is not null)
        {
            _newest.Newer = e;
        }

        _newest = e;
        _oldest ??= e;
        if (_inFlight.Count > _options.MaxInFlight)
        {
            EvictedEvents++;
            Close(_oldest, AuditEventCompletion.Evicted);
        }
    }

    private void Add(AuditEvent e, scoped in AuditRecord record)
    {
        int dropped = e.DroppedRecords;
        e.Add(record.Type, record.Body, record.Enrichment, _options.MaxEventBytes, _options.MaxRecordsPerEvent);
        OversizedRecords += e.DroppedRecords - dropped;
    }

    private void Expire(long now)
    {
        while (_oldest is not null && now - _oldest.FirstSeen >= _timeoutTicks)
        {
            TimedOutEvents++;
            Close(_oldest, AuditEventCompletion.TimedOut);
        }

        if (_gaps.OpenGaps > 0)
        {
            _gaps.Expire(now, _handler);
        }
    }

    private void Close(AuditEvent e, AuditEventCompletion completion)
    {
        if (e.Older is not null)
        {
            e.Older.Newer = e.Newer;
        }
        else
        {
            _oldest = e.Newer;
        }

        if (e.Newer is not null)
        {
            e.Newer.Older = e.Older;
        }
        else
        {
            _newest = e.Older;
        }

        _inFlight.Remove(e.Serial);
        Remember(e.Serial);
        Emit(e, completion);
        _pool.Push(e);
    }

    private void Emit(AuditEvent e, AuditEventCompletion completion)
    {
        e.Completion = completion;
        _handler.OnEvent(e);
    }

    private void Remember(uint serial)
    {
        _recent[_recentNext] = serial;
        _recentNext = (_recentNext + 1) % RecentCapacity;
        _recentCount = Math.Min(_recentCount + 1, RecentCapacity);
    }

    private bool WasClosed(uint serial) => _recent.AsSpan(0, _recentCount).Contains(serial);

    private long Now(AuditTimestamp timestamp)
    {
        if (!_options.UseRecordTime)
        {
            return _time.GetTimestamp();
        }

        _recordClock = Math.Max(_recordClock, timestamp.TotalMilliseconds);
        return _recordClock;
    }
}
