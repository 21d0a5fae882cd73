using KmodGuard.Core.Events;

namespace KmodGuard.Linux.KernelLog;

/// <summary>Turns a kernel module message that matched no activity into a load activity of its own, for the policy and the record.</summary>
internal static class KernelLogActivities
{
    public const string UnresolvedAudit = "audit: no module syscall event matched this kernel message";

    public static ModuleActivity Unmatched(KernelModuleMessage message, DateTimeOffset receiveTime, string? taint)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ModuleActivity
        {
            Id = $"kmsg:{message.Sequence}",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            Source = new KernelLogSource(message.Kind, message.Sequence, message.LoadRefused),
            EventTime = message.Time,
            ReceiveTime = receiveTime,
            Module = message.ModuleName is null ? ModuleFacts.Empty : new ModuleFacts { Name = message.ModuleName },
            KernelMessages = [message.Text],
            TaintFlags = taint,
            Unresolved = [UnresolvedAudit],
        };
    }
}
