using System.Runtime.InteropServices;

namespace KmodGuard.MacOS.EndpointSecurity.Interop;

/// <summary>
/// The shim's C API. On macOS the library is linked into the NativeAOT executable (DirectPInvoke of
/// "kmodguard_es"); on Linux tests resolve the name to libkmodguard_es_fake.so, the shim built against the ES
/// test double.
/// </summary>
internal static unsafe partial class EsShimInterop
{
    public const string Library = "kmodguard_es";

    [LibraryImport(Library, EntryPoint = "kg_es_abi_version")]
    public static partial uint AbiVersion();

    [LibraryImport(Library, EntryPoint = "kg_es_start")]
    public static partial int Start(
        KgEsConfig* config,
        delegate* unmanaged[Cdecl]<nint, KgEsEvent*, uint> decide,
        delegate* unmanaged[Cdecl]<nint, KgEsEvent*, void> notify,
        nint context,
        nint* client);

    [LibraryImport(Library, EntryPoint = "kg_es_stop")]
    public static partial int Stop(nint client);

    [LibraryImport(Library, EntryPoint = "kg_es_get_counters")]
    public static partial void GetCounters(nint client, KgEsCounters* counters);

    [LibraryImport(Library, EntryPoint = "kg_es_status_message")]
    public static partial byte* StatusMessage(int status);
}
