namespace KmodGuard.Linux.Inventory;

/// <summary>
/// One line of /proc/modules: <c>name size refcount deps state address [taints]</c> (kernel/module/procfs.c).
/// </summary>
/// <param name="RefCount">Null when the kernel has no module unloading ("-").</param>
/// <param name="UsedBy">The modules that depend on this one; "[permanent]" marks a module without an exit function.</param>
/// <param name="State">Live, Loading or Unloading.</param>
/// <param name="Address">Null when zeroed for an unprivileged reader.</param>
/// <param name="Taints">The letters inside "(...)", e.g. "OE"; null when untainted.</param>
internal sealed record ProcModuleLine(
    string Name,
    long Size,
    int? RefCount,
    IReadOnlyList<string> UsedBy,
    string State,
    string? Address,
    string? Taints)
{
    /// <summary>The module has an init function but no exit function: the kernel refuses to unload it.</summary>
    public bool Permanent => UsedBy.Contains(ProcModulesParser.PermanentMarker);
}
