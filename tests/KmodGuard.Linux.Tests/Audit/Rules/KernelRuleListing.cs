using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace KmodGuard.Linux.Tests.Audit.Rules;

/// <summary>
/// Test-only AUDIT_LIST_RULES over a plain NETLINK_AUDIT socket: the kernel's bytes for every rule. It neither registers
/// as the audit daemon nor joins the multicast group. (The agent's own netlink client lives in the live-audit area.)
/// </summary>
internal static partial class KernelRuleListing
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int NetlinkAudit = 9;
    private const ushort AuditListRules = 1013;
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort NlmFRequest = 1;
    private const ushort NlmFAck = 4;
    private const int MsgDontWait = 0x40;
    private const int Eagain = 11;

    public static List<byte[]> List()
    {
        int fd = Socket(AfNetlink, SockRaw, NetlinkAudit);
        if (fd < 0)
        {
            throw new InvalidOperationException($"socket(AF_NETLINK, NETLINK_AUDIT) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            byte[] request = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(request, 16);
            BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), AuditListRules);
            BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), NlmFRequest | NlmFAck);
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), 1);
            if (Send(fd, request, request.Length, 0) != request.Length)
            {
                throw new InvalidOperationException($"send(AUDIT_LIST_RULES) failed: errno {Marshal.GetLastPInvokeError()}");
            }

            var rules = new List<byte[]>();
            byte[] buffer = new byte[65536];
            DateTime deadline = DateTime.UtcNow.AddSeconds(5);
            while (DateTime.UtcNow < deadline)
            {
                nint n = Recv(fd, buffer, buffer.Length, MsgDontWait);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() != Eagain)
                    {
                        throw new InvalidOperationException($"recv failed: errno {Marshal.GetLastPInvokeError()}");
                    }

                    Thread.Sleep(5);
                    continue;
                }

                for (int offset = 0; offset + 16 <= n;)
                {
                    int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset));
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 4));
                    if (length < 16 || offset + length > n)
                    {
                        break;
                    }

                    if (type == NlmsgDone)
                    {
                        return rules;
                    }

                    if (type == NlmsgError && BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset + 16)) is int error and not 0)
                    {
                        throw new InvalidOperationException($"AUDIT_LIST_RULES failed: errno {-error}");
                    }

                    if (type == AuditListRules)
                    {
                        // nlmsg_len counts the struct exactly (1040 + buflen); the datagram pads it to 4 bytes, as
                        // auditctl's request and go-libaudit's golden bytes are.
                        rules.Add(buffer.AsSpan(offset + 16, ((length + 3) & ~3) - 16).ToArray());
                    }

                    offset += (length + 3) & ~3;
                }
            }

            throw new TimeoutException("no NLMSG_DONE after AUDIT_LIST_RULES");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);
}
