using System.Runtime.InteropServices;
using KmodGuard.MacOS.Extension;

using var stop = new CancellationTokenSource();
using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
return ExtensionHost.Run(args, Console.Out, Console.Error, started: null, stop.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // stop the client cleanly (answers what is pending) instead of dying mid-message
    stop.Cancel();
}
