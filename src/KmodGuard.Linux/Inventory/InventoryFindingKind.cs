namespace KmodGuard.Linux.Inventory;

/// <summary>What a cross-view check of the loaded modules found.</summary>
internal enum InventoryFindingKind
{
    /// <summary>In /sys/module with an initstate but absent from /proc/modules (the Diamorphine/Reptile list_del pattern).</summary>
    HiddenModule,

    /// <summary>A loaded module without /sys/module/&lt;name&gt;/sections while the others have it (section attributes freed).</summary>
    SectionsMissing,

    /// <summary>The kernel carries an O or E taint that no visible module explains (one was unloaded, or is hidden).</summary>
    UnexplainedTaint,
}
