using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KmodGuard.Tests.Shared.MacOS;

/// <summary>
/// The driver side of the Endpoint Security test double (native/es/test/fake_es_driver.h), exported by
/// libkmodguard_es_fake.so next to the shim's own API. Plays the kernel: injects kext messages, reads back the
/// answers the shim gave and checks the rules a real ES client lives by.
/// </summary>
internal static unsafe partial class FakeEndpointSecurity
{
    public const uint AuthKextLoad = 2;
    public const uint NotifyKextLoad = 17;
    public const uint NotifyKextUnload = 18;

    [StructLayout(LayoutKind.Sequential)]
    public struct Str
    {
        public byte* Data;
        public nuint Length;
    }

    [InlineArray(20)]
    public struct CdHash
    {
        private byte _first;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Spec
    {
        public uint Version;
        public uint EventType;
        public long DeadlineNs;
        public Str KextId;
        public Str SigningId;
        public Str TeamId;
        public Str Executable;
        public byte PathTruncated;
        public byte PlatformBinary;
        public byte EsClient;
        public byte Reserved;
        public int Pid, PidVersion, Ppid, OriginalPpid, ParentPid, ResponsiblePid, SessionId;
        public uint Euid, Ruid, Auid, CodesigningFlags;
        public CdHash CdHashBytes;
        public uint SeqSkip;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Response
    {
        public int Responses;
        public int Result;
        public long LatencyNs;
        public long MarginNs;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Stats
    {
        public ulong Injected, Delivered, Muted, Responses, Retains, Releases, LiveMessages, Violations, LateDeliveries;
        public uint LiveClients, MuteCalls, SubscribeCalls, SubscribedMask;
    }

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_reset")]
    public static partial void Reset();

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_set_new_client_result")]
    public static partial void SetNewClientResult(int result);

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_inject")]
    public static partial ulong Inject(Spec* spec);

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_wait_response")]
    public static partial int WaitResponse(ulong id, long timeoutNs, Response* response);

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_wait_delivered")]
    public static partial int WaitDelivered(long timeoutNs);

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_get_stats")]
    public static partial void GetStats(Stats* stats);

    [LibraryImport("kmodguard_es", EntryPoint = "fake_es_check")]
    public static partial ulong Check(byte* text, nuint size);

    /// <summary>Injects one message; strings are copied by the double.</summary>
    public static ulong Inject(in KextMessage m)
    {
        byte[] kext = Encoding.UTF8.GetBytes(m.KextId);
        byte[] signing = Encoding.UTF8.GetBytes(m.SigningId ?? "");
        byte[] team = Encoding.UTF8.GetBytes(m.TeamId ?? "");
        byte[] exe = Encoding.UTF8.GetBytes(m.Executable ?? "");
        fixed (byte* k = kext, s = signing, t = team, x = exe)
        {
            var spec = new Spec
            {
                Version = m.Version,
                EventType = m.EventType,
                DeadlineNs = (long)m.Deadline.TotalNanoseconds,
                KextId = new Str { Data = k, Length = (nuint)kext.Length },
                SigningId = new Str { Data = s, Length = (nuint)signing.Length },
                TeamId = new Str { Data = t, Length = (nuint)team.Length },
                Executable = new Str { Data = x, Length = (nuint)exe.Length },
                PlatformBinary = m.PlatformBinary ? (byte)1 : (byte)0,
                Pid = m.Pid,
                PidVersion = 3,
                Ppid = 1,
                OriginalPpid = 1,
                ParentPid = 1,
                ResponsiblePid = m.Pid,
                SessionId = 100003,
                Ruid = m.Uid,
                Euid = m.Uid,
                Auid = 501,
                CodesigningFlags = 0x2000001,
                SeqSkip = m.SeqSkip,
            };
            for (int i = 0; i < 20; i++)
            {
                spec.CdHashBytes[i] = (byte)(0xc0 + i);
            }

            return Inject(&spec);
        }
    }

    public static Response? WaitResponse(ulong id, TimeSpan timeout)
    {
        Response r;
        return WaitResponse(id, (long)timeout.TotalNanoseconds, &r) == 1 ? r : null;
    }

    public static Stats GetStats()
    {
        Stats s;
        GetStats(&s);
        return s;
    }

    /// <summary>The double's rule violations (empty when every rule was kept).</summary>
    public static string Violations()
    {
        byte* text = stackalloc byte[4096];
        ulong count = Check(text, 4096);
        return count == 0 ? "" : $"{count} violation(s): {Marshal.PtrToStringUTF8((nint)text)}";
    }
}

/// <summary>A kext message to inject, with the readable defaults of a load by Apple's kextload.</summary>
internal readonly record struct KextMessage(
    uint EventType,
    string KextId,
    string? SigningId = "com.apple.kextload",
    string? TeamId = null,
    string? Executable = "/usr/sbin/kextload",
    bool PlatformBinary = true,
    int Pid = 4242,
    uint Uid = 0,
    uint Version = 7,
    uint SeqSkip = 0)
{
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);
}
