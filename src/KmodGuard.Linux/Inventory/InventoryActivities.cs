using System.Globalization;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Inventory;

/// <summary>Turns modules found at start into load activities, so the policy decides them (and enforce mode acts) like any load.</summary>
internal static class InventoryActivities
{
    public const string UnresolvedLoader = "process: loaded while the agent was not running";

    /// <summary>One load activity per module that is new or changed since the baseline.</summary>
    public static IReadOnlyList<ModuleActivity> LoadedWhileAway(BaselineChanges changes, ModuleInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(inventory);
        var source = new InventorySource(changes.Previous?.TakenAt.ToString("O", CultureInfo.InvariantCulture), changes.Rebooted);
        return changes.New.Concat(changes.Changed).Select(m => For(m, inventory, source)).ToArray();
    }

    public static ModuleActivity For(LoadedModule module, ModuleInventory inventory, ActivitySource source)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inventory);
        ModuleFacts facts = (module.Inspection ?? ModuleFacts.Empty) with { Name = module.Name, FilePath = module.Inspection?.FilePath ?? module.FilePath };
        return new ModuleActivity
        {
            Id = $"inventory:{inventory.BootId ?? "unknown-boot"}:{module.Name}",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            Source = source,
            ReceiveTime = inventory.TakenAt,
            Module = facts,
            TaintFlags = module.Taint,
            Unresolved = [UnresolvedLoader],
        };
    }
}
