namespace KmodGuard.Linux.Enforcement;

/// <summary>
/// How long to keep trying delete_module while the module is still initialising (initstate "coming": the kernel
/// answers EBUSY until its init function returns). Delays double from <see cref="FirstDelay"/> within <see cref="Budget"/>.
/// </summary>
internal sealed record UnloadRetry(TimeSpan FirstDelay, TimeSpan Budget)
{
    public static UnloadRetry Default { get; } = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(800));
}
