using KmodGuard.Core.Events;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// The activity comes from the kernel log alone: the kernel printed a module message that no audited module syscall
/// matched (a load the audit rules did not see — itself a finding).
/// </summary>
internal sealed record KernelLogSource(KernelModuleMessageKind Kind, ulong Sequence, bool LoadRefused) : ActivitySource;
