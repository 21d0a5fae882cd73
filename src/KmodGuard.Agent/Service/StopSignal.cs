using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace KmodGuard.Agent.Service;

/// <summary>
/// SIGTERM and SIGINT as a cancellation token, for the long-running commands. Registered first thing, before the
/// agent installs anything: System.CommandLine's own handling (switched off in <see cref="Cli"/>) registers only once
/// the command first yields, which is after READY, so a stop in between killed the agent with its rules left in the
/// kernel; and it ends the process 2 s after the signal even when the clean stop is still removing them.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;

    public StopSignal()
    {
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // stop cleanly rather than die now
        _ = _stop.CancelAsync(); // the stop runs on the thread pool, not on the runtime's signal thread
    }

    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
    }
}
