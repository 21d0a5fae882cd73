using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Modules;

/// <summary>
/// What <see cref="ModuleEnricher.Enrich"/> knew when its budget ran out, and, if that was not everything, the
/// task that finishes the rest. <see cref="Completion"/> never faults for cancellation or a slow disk: it yields the
/// final activity, whose <see cref="ModuleActivity.Unresolved"/> names anything still missing.
/// </summary>
internal sealed record EnrichmentResult(ModuleActivity Activity, Task<ModuleActivity>? Completion)
{
    /// <summary>Everything was done within the budget: decide on <see cref="Activity"/>, no update record follows.</summary>
    public bool IsComplete => Completion is null;
}
