using System.Runtime.InteropServices;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Enforcement;

/// <summary>The real calls into the kernel.</summary>
internal sealed class LinuxModuleSyscalls : IModuleSyscalls
{
    public static LinuxModuleSyscalls Instance { get; } = new();

    public int DeleteModule(string name, int flags) => LibC.DeleteModule(name, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public int Kill(int pid, int signal) => LibC.Kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public string? ExecutableOf(int pid) => ProcFileSystem.Host.ReadLink(pid, "exe");
}
