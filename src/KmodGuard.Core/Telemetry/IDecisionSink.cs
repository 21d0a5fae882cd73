using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>
/// Where decisions go: the console, OpenTelemetry, a test. Called on the decision path, so implementations
/// must return quickly and never block on I/O to a network.
/// </summary>
public interface IDecisionSink
{
    void Record(ModuleActivity activity, Decision decision);

    /// <summary>Pushes out what <see cref="Record"/> buffered. Called when no more decisions are waiting, so a burst is
    /// written in a few large writes rather than one per record.</summary>
    void Flush()
    {
    }
}
