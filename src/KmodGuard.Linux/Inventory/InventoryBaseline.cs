namespace KmodGuard.Linux.Inventory;

/// <summary>The loaded modules the agent last saw, persisted in its state directory so the next start can tell what changed.</summary>
internal sealed record InventoryBaseline(string? BootId, string? KernelRelease, DateTimeOffset TakenAt, IReadOnlyList<BaselineModule> Modules)
{
    public static InventoryBaseline From(ModuleInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return new InventoryBaseline(
            inventory.BootId,
            inventory.KernelRelease,
            inventory.TakenAt,
            inventory.Modules.Select(m => new BaselineModule(m.Name, m.SrcVersion, m.FilePath, m.Inspection?.Sha256)).ToArray());
    }
}

/// <summary>One module of a baseline: enough to tell "the same module" from "a different build under the same name".</summary>
internal sealed record BaselineModule(string Name, string? SrcVersion, string? FilePath, string? Sha256);
