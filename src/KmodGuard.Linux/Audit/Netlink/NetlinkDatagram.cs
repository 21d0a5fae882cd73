namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>
/// Splits a received datagram into messages. Audit records are one message per datagram and their nlmsg_len is
/// not trusted: on the unicast path the kernel sets it to the payload length only (kernel/audit.c, "length
/// quirks"), so the payload is everything after the header. Control replies carry correct lengths and may be
/// batched, so they are walked normally.
/// </summary>
internal ref struct NetlinkDatagram(ReadOnlySpan<byte> datagram)
{
    private ReadOnlySpan<byte> _rest = datagram;

    /// <summary>Set when a message header was inconsistent; the rest of the datagram is dropped.</summary>
    public bool Malformed { get; private set; }

    public bool TryNext(out NetlinkMessage message)
    {
        message = default;
        if (_rest.Length == 0)
        {
            return false;
        }

        if (!NetlinkHeader.TryRead(_rest, out NetlinkHeader header))
        {
            Malformed = true;
            _rest = default;
            return false;
        }

        if (NetlinkConstants.IsRecord(header.Type) || header.Type == NetlinkConstants.AUDIT_REPLACE)
        {
            ReadOnlySpan<byte> payload = _rest[NetlinkConstants.HeaderLength..];
            // No trailing NUL is sent today; tolerate one in case a kernel adds it.
            if (payload.Length > 0 && payload[^1] == 0)
            {
                payload = payload[..^1];
            }

            message = new NetlinkMessage(header, payload);
            _rest = default;
            return true;
        }

        if (header.Length < NetlinkConstants.HeaderLength || header.Length > _rest.Length)
        {
            Malformed = true;
            _rest = default;
            return false;
        }

        message = new NetlinkMessage(header, _rest[NetlinkConstants.HeaderLength..(int)header.Length]);
        int aligned = (int)((header.Length + 3) & ~3u);
        _rest = aligned >= _rest.Length ? default : _rest[aligned..];
        return true;
    }
}
