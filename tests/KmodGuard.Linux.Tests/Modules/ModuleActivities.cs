using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Tests.Modules;

/// <summary>Module activities shaped like the audit mapper's: syscall name and a0..a3, pid, comm, argv.</summary>
internal static class ModuleActivities
{
    public static ModuleActivity Load(string syscall, int? pid, ulong? a0 = null, string? comm = null, string[]? argv = null, string? module = null, string? cwd = null) => new()
    {
        Platform = Platform.Linux,
        Operation = ModuleOperation.Load,
        ReceiveTime = DateTimeOffset.UtcNow,
        Source = new LinuxAuditSource { SyscallName = syscall, Arguments = a0 is ulong fd ? [fd, 0, 0, 0] : [0, 0, 0, 0], Success = true },
        Module = new ModuleFacts { Name = module },
        Process = new LoaderProcess { Pid = pid, Name = comm, Arguments = argv, WorkingDirectory = cwd },
    };
}
