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
}
