using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Telemetry;

/// <summary>A decision waiting in the queue for export.</summary>
internal readonly record struct PendingDecision(ModuleActivity Activity, Decision Decision);
