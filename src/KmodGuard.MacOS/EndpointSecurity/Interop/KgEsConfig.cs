using System.Runtime.InteropServices;

namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary><c>kg_es_config</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KgEsConfig
{
    public uint StructSize;
    public uint FailClosed;
    public uint MuteSelf;
    public uint BudgetPercent;
    public long MinHeadroomNs;
    public uint MaxPending;
    public uint Reserved;
}
