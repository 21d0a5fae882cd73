using KmodGuard.Core.Events;

namespace KmodGuard.Core.Tests;

/// <summary>Builds activities for tests with readable defaults: a Linux load by insmod as root.</summary>
internal static class Activities
{
    public static readonly DateTimeOffset Time = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static ModuleActivity Load(
        string? name = "crc7",
        string? path = "/lib/modules/6.1.0/kernel/lib/crc7.ko",
        SignatureStatus signature = SignatureStatus.SignedTrusted,
        string? processName = "insmod",
        string? exe = "/usr/bin/kmod",
        int? uid = 0,
        ContainerContext? container = null,
        Platform platform = Platform.Linux,
        ModuleOperation operation = ModuleOperation.Load,
        string? sha256 = null,
        string? signer = null,
        string? parentExe = null,
        string? userName = "root") => new()
        {
            Platform = platform,
            Operation = operation,
            ReceiveTime = Time,
            EventTime = Time,
            Container = container ?? ContainerContext.Host,
            Module = new ModuleFacts { Name = name, FilePath = path, SignatureStatus = signature, Sha256 = sha256, Signer = signer },
            Process = new LoaderProcess
            {
                Pid = 4242,
                ParentPid = 1,
                Name = processName,
                ExecutablePath = exe,
                UserId = uid,
                UserName = userName,
                Ancestors = parentExe is null ? null : [new AncestorProcess(1, parentExe, null)],
            },
        };
}
