using System.Runtime.InteropServices;

namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary><c>kg_es_counters</c> (88 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KgEsCounters
{
    public ulong Messages;
    public ulong AuthMessages;
    public ulong NotifyMessages;
    public ulong AuthAllowed;
    public ulong AuthDenied;
    public ulong WatchdogAnswers;
    public ulong ShimAnswers;
    public ulong LateCallbacks;
    public ulong RespondErrors;
    public ulong DroppedSeq;
    public ulong DroppedGlobalSeq;
}
