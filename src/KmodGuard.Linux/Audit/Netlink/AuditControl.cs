using System.Buffers.Binary;
using System.Diagnostics;

namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>
/// Audit control requests over one socket, answered in order: each request waits for the replies that carry its
/// sequence number and the kernel's ACK (which may come before the data: the kernel sends some replies from a
/// worker thread). Records that arrive meanwhile (only on the registered daemon's socket) go to the record handler,
/// never dropped.
/// </summary>
internal sealed class AuditControl(INetlinkSocket socket, AuditRecordHandler? records = null)
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Lock _gate = new();

    public INetlinkSocket Socket => socket;

    public AuditStatus GetStatus()
    {
        AuditStatus status = default;
        bool got = false;
        Request(NetlinkConstants.AUDIT_GET, [], (in NetlinkMessage m) =>
        {
            if (m.Header.Type == NetlinkConstants.AUDIT_GET)
            {
                status = AuditStatus.Read(m.Payload);
                got = true;
            }
        }, () => got);
        return status;
    }

    /// <summary>Sends AUDIT_SET with the fields named by <see cref="AuditStatus.Mask"/>. Returns the ACK's value
    /// (for a lost-counter reset, the kernel returns the old counter there as a positive number).</summary>
    public int SetStatus(AuditStatus status) => Request(NetlinkConstants.AUDIT_SET, status.ToBytes(), null, null);

    public List<byte[]> ListRules()
    {
        var rules = new List<byte[]>();
        bool done = false;
        Request(NetlinkConstants.AUDIT_LIST_RULES, [], (in NetlinkMessage m) =>
        {
            if (m.Header.Type == NetlinkConstants.AUDIT_LIST_RULES)
            {
                rules.Add(m.Payload.ToArray());
            }
            else if (m.Header.Type == NetlinkConstants.NLMSG_DONE)
            {
                done = true;
            }
        }, () => done);
        return rules;
    }

    public void AddRule(ReadOnlySpan<byte> rule) => Request(NetlinkConstants.AUDIT_ADD_RULE, rule, null, null);

    public void DeleteRule(ReadOnlySpan<byte> rule) => Request(NetlinkConstants.AUDIT_DEL_RULE, rule, null, null);

    private delegate void ReplyHandler(in NetlinkMessage message);

    private int Request(ushort type, ReadOnlySpan<byte> payload, ReplyHandler? onReply, Func<bool>? complete)
    {
        lock (_gate)
        {
            uint seq = socket.NextSequence();
            socket.Send(type, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, seq, payload);
            bool acked = false;
            int ackValue = 0;
            long deadline = Stopwatch.GetTimestamp() + (long)(ReplyTimeout.TotalSeconds * Stopwatch.Frequency);
            while (!acked || (complete is not null && !complete()))
            {
                int remaining = (int)((deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
                if (remaining <= 0)
                {
                    throw new TimeoutException($"the kernel did not answer audit request type {type} within {ReplyTimeout.TotalSeconds:0} s");
                }

                ReceiveResult r = socket.Receive(_buffer, remaining);
                if (r.IsTimeout || r.IsOverflow)
                {
                    continue;
                }

                var datagram = new NetlinkDatagram(_buffer.AsSpan(0, r.Length));
                while (datagram.TryNext(out NetlinkMessage m))
                {
                    if (m.Header.Sequence != seq || NetlinkConstants.IsRecord(m.Header.Type))
                    {
                        if (NetlinkConstants.IsRecord(m.Header.Type))
                        {
                            records?.Invoke(m.Header.Type, m.Payload);
                        }

                        continue;
                    }

                    if (m.Header.Type == NetlinkConstants.NLMSG_ERROR)
                    {
                        int error = m.Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(m.Payload) : 0;
                        if (error < 0)
                        {
                            throw new AuditNetlinkException(Describe(type), -error);
                        }

                        acked = true;
                        ackValue = error;
                    }
                    else
                    {
                        onReply?.Invoke(m);
                    }
                }
            }

            return ackValue;
        }
    }

    private static string Describe(ushort type) => type switch
    {
        NetlinkConstants.AUDIT_GET => "AUDIT_GET",
        NetlinkConstants.AUDIT_SET => "AUDIT_SET",
        NetlinkConstants.AUDIT_ADD_RULE => "AUDIT_ADD_RULE",
        NetlinkConstants.AUDIT_DEL_RULE => "AUDIT_DEL_RULE",
        NetlinkConstants.AUDIT_LIST_RULES => "AUDIT_LIST_RULES",
        _ => $"audit request {type}",
    };
}
