using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// The records of one audit event (same serial), copied out of the receive buffers. Instances are pooled by the
/// <see cref="AuditEventAssembler"/>: a handler may read one only during its callback and must copy what it keeps.
/// </summary>
internal sealed class AuditEvent
{
    private const int InitialBufferSize = 2048;

    private byte[] _buffer = new byte[InitialBufferSize];
    private int _length;
    private Slot[] _records = new Slot[8];

    public uint Serial { get; private set; }

    public AuditTimestamp Timestamp { get; private set; }

    public int RecordCount { get; private set; }

    /// <summary>How the event was closed: by its last record, or because it waited too long.</summary>
    public AuditEventCompletion Completion { get; internal set; }

    /// <summary>Records that did not fit (<see cref="AuditAssemblyOptions.MaxEventBytes"/>, MaxRecordsPerEvent) and were dropped.</summary>
    public int DroppedRecords { get; private set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/>-style ticks of the clock the assembler runs on, when the first record came.</summary>
    internal long FirstSeen { get; private set; }

    // Links of the assembler's arrival-ordered list of events in flight.
    internal AuditEvent? Older { get; set; }

    internal AuditEvent? Newer { get; set; }

    public int RecordType(int index) => _records[index].Type;

    /// <summary>The <c>key=value</c> text of a record (decode values with <see cref="AuditValue"/>).</summary>
    public ReadOnlySpan<byte> RecordBody(int index) => _buffer.AsSpan(_records[index].Offset, _records[index].BodyLength);

    /// <summary>auditd's ENRICHED part of a record read from a log (after 0x1D); empty otherwise.</summary>
    public ReadOnlySpan<byte> RecordEnrichment(int index)
    {
        Slot s = _records[index];
        return _buffer.AsSpan(s.Offset + s.BodyLength, s.EnrichmentLength);
    }

    /// <summary>The index of the first record of <paramref name="type"/>, or -1.</summary>
    public int IndexOf(int type, int start = 0)
    {
        for (int i = start; i < RecordCount; i++)
        {
            if (_records[i].Type == type)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The raw value of a field of record <paramref name="index"/> (null span and false when absent).</summary>
    public bool TryGetField(int index, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> rawValue) =>
        AuditFieldEnumerator.TryFind(RecordBody(index), name, out rawValue);

    /// <summary>"audit:1700000000.123:42" — the activity id format.</summary>
    public string Id => $"audit:{Timestamp}:{Serial}";

    internal void Start(uint serial, AuditTimestamp timestamp, long now)
    {
        Serial = serial;
        Timestamp = timestamp;
        FirstSeen = now;
        RecordCount = 0;
        DroppedRecords = 0;
        _length = 0;
        Completion = AuditEventCompletion.LastRecord;
        Older = Newer = null;
    }

    internal void Add(int type, ReadOnlySpan<byte> body, ReadOnlySpan<byte> enrichment, int maxBytes, int maxRecords)
    {
        int needed = body.Length + enrichment.Length;
        if (RecordCount >= maxRecords || _length + needed > maxBytes)
        {
            DroppedRecords++;
            return;
        }

        if (_length + needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + needed));
        }

        if (RecordCount == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        body.CopyTo(_buffer.AsSpan(_length));
        enrichment.CopyTo(_buffer.AsSpan(_length + body.Length));
        _records[RecordCount++] = new Slot(type, _length, body.Length, enrichment.Length);
        _length += needed;
    }

    private readonly record struct Slot(int Type, int Offset, int BodyLength, int EnrichmentLength);
}
