namespace KmodGuard.Linux.KernelLog;

/// <summary>A kernel log record about a module, classified, with the module it names (null when the kernel names none).</summary>
/// <param name="SinceBoot">The kernel's timestamp.</param>
/// <param name="Time">Wall-clock time of the record: boot time + <paramref name="SinceBoot"/>.</param>
internal sealed record KernelModuleMessage(KernelModuleMessageKind Kind, string? ModuleName, string Text, ulong Sequence, TimeSpan SinceBoot, DateTimeOffset Time)
{
    /// <summary>The kernel refused the load (the module is not in the kernel), rather than loading it with a taint.</summary>
    public bool LoadRefused => TaintLetter is null;

    /// <summary>The taint letter the message announces (the module was loaded and carries it), if any.</summary>
    public char? TaintLetter => TaintLetterOf(Kind);

    public static char? TaintLetterOf(KernelModuleMessageKind kind) => kind switch
    {
        KernelModuleMessageKind.SignatureMissing => 'E',
        KernelModuleMessageKind.OutOfTree => 'O',
        KernelModuleMessageKind.LicenseTaint => 'P',
        KernelModuleMessageKind.Staging => 'C',
        KernelModuleMessageKind.ForcedLoad => 'F',
        _ => null,
    };
}
