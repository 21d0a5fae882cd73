using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Inventory;

/// <summary>
/// The activity was not observed as it happened: the agent found the module loaded at start and it was not in the
/// last baseline, so it was loaded while the agent was not running. Who loaded it, and when, is unknown.
/// </summary>
internal sealed record InventorySource(string? BaselineTakenAt, bool Rebooted) : ActivitySource;
