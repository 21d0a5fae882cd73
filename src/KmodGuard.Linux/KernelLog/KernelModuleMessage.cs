namespace KmodGuard.Linux.KernelLog;

/// <summary>A kernel log record about a module, classified, with the module it names (null when the kernel names none).</summary>
/// <param name="SinceBoot">The kernel's timestamp.</param>
/// <param name="Time">Wall-clock time of the record: boot time + <paramref name="SinceBoot"/>.</param>
internal sealed record KernelModuleMessage(KernelModuleMessageKind Kind, string? ModuleName, string Text, ulong Sequence, TimeSpan SinceBoot, DateTimeOffset Time)
{
    /// <summary>The kernel refused the load (the module is not in the kernel), rather than loading it with a taint.</summary>
    public bool LoadRefused => Kind is not (KernelModuleMessageKind.SignatureMissing or KernelModuleMessageKind.OutOfTree
        or KernelModuleMessageKind.LicenseTaint or KernelModuleMessageKind.Staging or KernelModuleMessageKind.ForcedLoad);
}
