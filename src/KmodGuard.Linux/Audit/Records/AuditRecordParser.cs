using System.Buffers.Text;

namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// Parses audit records from a netlink payload (<c>audit(1700000000.123:42): key=value ...</c>, type from the netlink
/// header) or from an auditd log line (<c>[node=N ]type=NAME msg=audit(...): key=value ...[\x1D ENRICHED]</c>).
/// No regular expressions and no allocation: the result is a view over the input.
/// </summary>
internal static class AuditRecordParser
{
    /// <summary>Longest record accepted. The kernel sends at most 8970 bytes; auditd adds node, type and enrichment.</summary>
    public const int MaxRecordLength = 64 * 1024;

    /// <summary>auditd's separator between the raw record and its ENRICHED fields (AUDIT_INTERP_SEPARATOR).</summary>
    public const byte EnrichmentSeparator = 0x1D;

    /// <summary>The last second a <see cref="DateTimeOffset"/> can hold (year 9999): later timestamps are not real.</summary>
    private const long MaxSeconds = 253_402_300_799;

    public static AuditParseError TryParseNetlink(int type, ReadOnlySpan<byte> payload, out AuditRecord record)
    {
        record = default;
        if (type == AuditRecordType.Replace)
        {
            return AuditParseError.BinaryRecord;
        }

        if (payload.Length > MaxRecordLength)
        {
            return AuditParseError.TooLong;
        }

        // The kernel sends no trailing NUL or newline, but tolerate them (other senders, captures).
        payload = payload.TrimEnd("\0\n"u8);
        if (!payload.StartsWith("audit("u8))
        {
            return AuditParseError.MissingHeader;
        }

        return ParseHeaderAndBody(type, payload[6..], default, out record);
    }

    public static AuditParseError TryParseLogLine(ReadOnlySpan<byte> line, out AuditRecord record)
    {
        record = default;
        if (line.Length > MaxRecordLength)
        {
            return AuditParseError.TooLong;
        }

        line = line.TrimEnd("\r\n"u8).TrimStart((byte)' ');
        ReadOnlySpan<byte> node = default;
        if (line.StartsWith("node="u8))
        {
            int space = line.IndexOf((byte)' ');
            if (space < 0)
            {
                return AuditParseError.MissingType;
            }

            node = line[5..space];
            line = line[(space + 1)..].TrimStart((byte)' ');
        }

        if (!line.StartsWith("type="u8))
        {
            return AuditParseError.MissingType;
        }

        line = line[5..];
        int typeEnd = line.IndexOf((byte)' ');
        if (typeEnd <= 0 || !AuditRecordTypeNames.TryGetType(line[..typeEnd], out int type))
        {
            return typeEnd <= 0 ? AuditParseError.MissingHeader : AuditParseError.UnknownTypeName;
        }

        if (type == AuditRecordType.Replace)
        {
            return AuditParseError.BinaryRecord;
        }

        line = line[(typeEnd + 1)..].TrimStart((byte)' ');
        if (!line.StartsWith("msg=audit("u8))
        {
            return AuditParseError.MissingHeader;
        }

        return ParseHeaderAndBody(type, line[10..], node, out record);
    }

    /// <summary>Parses <c>sec.msec:serial): body</c> (what follows <c>audit(</c>).</summary>
    private static AuditParseError ParseHeaderAndBody(int type, ReadOnlySpan<byte> text, ReadOnlySpan<byte> node, out AuditRecord record)
    {
        record = default;
        if (!Utf8Parser.TryParse(text, out long seconds, out int used) || used == 0 || seconds is < 0 or > MaxSeconds
            || used >= text.Length || text[used] != (byte)'.')
        {
            return AuditParseError.BadTimestamp;
        }

        text = text[(used + 1)..];
        int digits = 0;
        int milliseconds = 0;
        while (digits < text.Length && (uint)(text[digits] - '0') <= 9)
        {
            // Only the first three digits are milliseconds; a longer fraction is tolerated and cut.
            if (digits < 3)
            {
                milliseconds = (milliseconds * 10) + (text[digits] - '0');
            }

            digits++;
        }

        if (digits == 0 || digits >= text.Length || text[digits] != (byte)':')
        {
            return AuditParseError.BadTimestamp;
        }

        for (int i = digits; i < 3; i++)
        {
            milliseconds *= 10;
        }

        text = text[(digits + 1)..];
        if (!Utf8Parser.TryParse(text, out uint serial, out used) || used == 0)
        {
            return AuditParseError.BadSerial;
        }

        text = text[used..];
        if (!text.StartsWith(")"u8))
        {
            return (uint)(text.IsEmpty ? 0 : text[0] - '0') <= 9 ? AuditParseError.BadSerial : AuditParseError.UnterminatedHeader;
        }

        // "): " normally; old auditd wrote some DAEMON records as "audit(...) config changed, ...".
        text = text.StartsWith("):"u8) ? text[2..] : text[1..];
        ReadOnlySpan<byte> enrichment = default;
        int separator = text.IndexOf(EnrichmentSeparator);
        if (separator >= 0)
        {
            enrichment = text[(separator + 1)..];
            text = text[..separator];
        }

        record = new AuditRecord(type, new AuditTimestamp(seconds, milliseconds), serial, text, enrichment, node);
        return AuditParseError.None;
    }
}
