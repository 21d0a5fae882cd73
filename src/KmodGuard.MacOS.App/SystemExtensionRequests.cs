using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KmodGuard.MacOS.App;

/// <summary>What a system extension request reported (native/macos-app/kg_sysext.h KG_SYSEXT_*).</summary>
internal enum SystemExtensionState
{
    Completed = 0,
    CompletesAfterReboot = 1,
    NeedsApproval = 2,
    Failed = 3,
    Enabled = 4,
    AwaitingApproval = 5,
    Uninstalling = 6,
    NotInstalled = 7,
}

/// <summary>Activation, deactivation and status of the extension through the Objective-C helper linked into the app.</summary>
internal static unsafe partial class SystemExtensionRequests
{
    public static void Activate(string bundleId, Action<SystemExtensionState, long, string> report) => Submit(&kg_sysext_activate, bundleId, report);

    public static void Deactivate(string bundleId, Action<SystemExtensionState, long, string> report) => Submit(&kg_sysext_deactivate, bundleId, report);

    public static void Query(string bundleId, Action<SystemExtensionState, long, string> report) => Submit(&kg_sysext_query, bundleId, report);

    private static void Submit(delegate*<byte*, delegate* unmanaged[Cdecl]<nint, int, long, byte*, void>, nint, void> request,
                               string bundleId, Action<SystemExtensionState, long, string> report)
    {
        // The handle lives until the request's final report (it may report NeedsApproval first).
        GCHandle handle = GCHandle.Alloc(report);
        byte[] id = System.Text.Encoding.UTF8.GetBytes(bundleId + "\0");
        fixed (byte* p = id)
        {
            request(p, &OnReport, GCHandle.ToIntPtr(handle));
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnReport(nint context, int state, long code, byte* message)
    {
        GCHandle handle = GCHandle.FromIntPtr(context);
        var report = (Action<SystemExtensionState, long, string>)handle.Target!;
        var s = (SystemExtensionState)state;
        if (s != SystemExtensionState.NeedsApproval)
        {
            handle.Free(); // every other state is a request's last word
        }

        report(s, code, Marshal.PtrToStringUTF8((nint)message) ?? "");
    }

    [LibraryImport("__Internal")]
    private static partial void kg_sysext_activate(byte* bundleId, delegate* unmanaged[Cdecl]<nint, int, long, byte*, void> callback, nint context);

    [LibraryImport("__Internal")]
    private static partial void kg_sysext_deactivate(byte* bundleId, delegate* unmanaged[Cdecl]<nint, int, long, byte*, void> callback, nint context);

    [LibraryImport("__Internal")]
    private static partial void kg_sysext_query(byte* bundleId, delegate* unmanaged[Cdecl]<nint, int, long, byte*, void> callback, nint context);
}
