using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Linux.Inventory;

/// <summary>A snapshot of the kernel's modules: what is loaded, how the kernel is tainted, and what does not add up.</summary>
internal sealed record ModuleInventory
{
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>The running kernel's release; null when unreadable.</summary>
    public string? KernelRelease { get; init; }

    public string? BootId { get; init; }

    /// <summary>False on a kernel built without loadable modules (no /proc/modules): not an error, nothing to list.</summary>
    public required bool ModuleSupport { get; init; }

    public KernelTaint? Taint { get; init; }

    /// <summary>Listed modules first (in /proc/modules order), then hidden ones.</summary>
    public IReadOnlyList<LoadedModule> Modules { get; init; } = [];

    public IReadOnlyList<InventoryFinding> Findings { get; init; } = [];

    /// <summary>What the kernel said about modules since boot, as far back as its log buffer reaches (loads refused, taints).</summary>
    public IReadOnlyList<KernelModuleMessage> KernelMessages { get; init; } = [];

    /// <summary>What could not be read or parsed (a malformed line, an unreadable file); the rest of the snapshot still holds.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
