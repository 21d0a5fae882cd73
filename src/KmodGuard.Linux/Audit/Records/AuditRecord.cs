namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// One parsed audit record: a view over the caller's buffer, valid only as long as that buffer is unchanged.
/// </summary>
internal readonly ref struct AuditRecord
{
    public AuditRecord(int type, AuditTimestamp timestamp, uint serial, ReadOnlySpan<byte> body, ReadOnlySpan<byte> enrichment, ReadOnlySpan<byte> node)
    {
        Type = type;
        Timestamp = timestamp;
        Serial = serial;
        Body = body;
        Enrichment = enrichment;
        Node = node;
    }

    /// <summary>The record type number (from the netlink header, or from <c>type=</c> in a log line).</summary>
    public int Type { get; }

    public AuditTimestamp Timestamp { get; }

    /// <summary>The event serial: every record of one event has the same (timestamp, serial).</summary>
    public uint Serial { get; }

    /// <summary>The <c>key=value ...</c> text after the header.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>In ENRICHED log lines, what auditd appended after the 0x1D separator (<c>UID="root" ...</c>); else empty.</summary>
    public ReadOnlySpan<byte> Enrichment { get; }

    /// <summary>The <c>node=</c> name of a log line; empty when absent.</summary>
    public ReadOnlySpan<byte> Node { get; }

    public AuditFieldEnumerator Fields => new(Body);

    /// <summary>The raw value of the first field called <paramref name="name"/> (quotes included, not decoded).</summary>
    public bool TryGetField(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> rawValue) => AuditFieldEnumerator.TryFind(Body, name, out rawValue);
}
