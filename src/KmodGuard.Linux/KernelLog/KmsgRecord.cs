namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// One /dev/kmsg record: "prio,seq,ts_usec,flags[,...];message" followed by " KEY=value" property lines
/// (Documentation/ABI/testing/dev-kmsg). <see cref="Message"/> has the kernel's \xNN escapes undone.
/// </summary>
/// <param name="Facility">0 for the kernel itself; userspace writes to /dev/kmsg can never use 0.</param>
/// <param name="Level">0 (emerg) to 7 (debug).</param>
/// <param name="SinceBoot">The kernel's timestamp: monotonic time since boot.</param>
/// <param name="Flags">'-' for a whole record, 'c' / '+' for pieces of a continued line.</param>
internal sealed record KmsgRecord(
    int Facility,
    int Level,
    ulong Sequence,
    TimeSpan SinceBoot,
    char Flags,
    string Message,
    IReadOnlyList<string> Properties)
{
    public const int KernelFacility = 0;

    public bool FromKernel => Facility == KernelFacility;
}
