using System.Text;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.Tests.Shared.MacOS;

/// <summary>Builds the shim's flat event in managed code, as kg_es_copy_message would fill it.</summary>
internal static class TestEvents
{
    public static KgEsEvent Make(
        uint type = KgEs.EventAuthKextLoad,
        string kextId = "com.apple.driver.AppleHV",
        string signingId = "com.apple.kextload",
        string teamId = "",
        string executable = "/usr/sbin/kextload",
        bool platformBinary = true,
        uint version = 7,
        uint ruid = 0)
    {
        var e = new KgEsEvent
        {
            StructSize = KgEsEvent.Size,
            EventType = type,
            MessageVersion = version,
            Flags = (version >= 2 ? KgEsEventFlags.HasSeqNum : 0) | (version >= 4 ? KgEsEventFlags.HasGlobalSeqNum | KgEsEventFlags.HasParentPids : 0)
                | (platformBinary ? KgEsEventFlags.PlatformBinary : 0),
            SeqNum = version >= 2 ? 5ul : 0,
            GlobalSeqNum = version >= 4 ? 9ul : 0,
            TimeUnixNs = 1_795_000_000_000_000_000,
            DeadlineNs = type == KgEs.EventAuthKextLoad ? 9_000_000_000 : 0,
            Pid = 4242,
            PidVersion = 3,
            Ppid = 77,
            OriginalPpid = 1,
            ParentPid = version >= 4 ? 78 : 0,
            ResponsiblePid = version >= 4 ? 4242 : 0,
            Euid = 0,
            Ruid = ruid,
            Auid = 501,
            SessionId = 100003,
        };
        e.KextIdLength = Put(e.KextId, kextId);
        e.SigningIdLength = Put(e.SigningId, signingId);
        e.TeamIdLength = Put(e.TeamId, teamId);
        e.ExecutableLength = Put(e.Executable, executable);
        Encoding.ASCII.GetBytes("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3", e.CdHash);
        return e;
    }

    public static ushort Put(Span<byte> buffer, string text) => Put(buffer, Encoding.UTF8.GetBytes(text));

    public static ushort Put(Span<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, buffer.Length - 1);
        bytes[..n].CopyTo(buffer);
        buffer[n] = 0;
        return (ushort)n;
    }
}
