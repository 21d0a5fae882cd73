using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Which syscall numbers load or unload a module, or run a program, on each architecture: load vs unload is decided
/// here, from the syscall, never from the KERN_MODULE record (which delete_module emits too).
/// </summary>
internal static class ModuleSyscalls
{
    private static readonly Numbers X8664 = For(AuditArch.X8664);
    private static readonly Numbers I386 = For(AuditArch.I386);
    private static readonly Numbers Aarch64 = For(AuditArch.Aarch64);
    private static readonly Numbers Arm = For(AuditArch.Arm);

    public static ModuleOperation? Classify(uint arch, long syscall)
    {
        Numbers n = Of(arch);
        return syscall == n.InitModule || syscall == n.FinitModule ? ModuleOperation.Load
            : syscall == n.DeleteModule ? ModuleOperation.Unload
            : null;
    }

    public static bool IsExec(uint arch, long syscall)
    {
        Numbers n = Of(arch);
        return syscall == n.Execve || syscall == n.Execveat;
    }

    public static bool IsFinitModule(uint arch, long syscall) => syscall == Of(arch).FinitModule;

    private static Numbers Of(uint arch) => arch switch
    {
        AuditArch.X8664 => X8664,
        AuditArch.I386 => I386,
        AuditArch.Aarch64 => Aarch64,
        AuditArch.Arm or AuditArch.ArmBigEndian => Arm,
        _ => Numbers.None,
    };

    private static Numbers For(uint arch)
    {
        SyscallTable table = SyscallTable.For(arch)!;
        int Number(string name) => table.TryGetNumber(name, out int n) ? n : -1;
        return new Numbers(Number("init_module"), Number("finit_module"), Number("delete_module"), Number("execve"), Number("execveat"));
    }

    private readonly record struct Numbers(int InitModule, int FinitModule, int DeleteModule, int Execve, int Execveat)
    {
        public static Numbers None { get; } = new(-1, -1, -1, -1, -1);
    }
}
