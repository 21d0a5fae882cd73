using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Inventory;

/// <summary>
/// A module the kernel holds, as /proc/modules and /sys/module describe it. A module hidden from /proc/modules
/// has <see cref="Listed"/> false and only the /sys/module facts.
/// </summary>
internal sealed record LoadedModule
{
    public required string Name { get; init; }

    /// <summary>Present in /proc/modules (what lsmod and osquery show).</summary>
    public required bool Listed { get; init; }

    public long? Size { get; init; }
    public int? RefCount { get; init; }

    /// <summary>/proc/modules state: Live, Loading, Unloading.</summary>
    public string? State { get; init; }

    /// <summary>/sys/module initstate: live, coming, going.</summary>
    public string? InitState { get; init; }

    /// <summary>Taint letters ("OE"); empty when untainted.</summary>
    public string? Taint { get; init; }

    public string? SrcVersion { get; init; }
    public string? Version { get; init; }

    /// <summary>Modules that depend on this one.</summary>
    public IReadOnlyList<string> Holders { get; init; } = [];

    public bool Permanent { get; init; }

    /// <summary>Whether /sys/module/&lt;name&gt;/sections exists; null when there is no /sys/module entry.</summary>
    public bool? HasSections { get; init; }

    /// <summary>The module file per the running kernel's modules.dep; null when not found there (out-of-tree, or a file since removed).</summary>
    public string? FilePath { get; init; }

    /// <summary>The module inspector's facts about <see cref="FilePath"/>, when an inspector was given.</summary>
    public ModuleFacts? Inspection { get; init; }
}
