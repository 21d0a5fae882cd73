namespace KmodGuard.Linux.Inventory;

/// <summary>
/// What /sys/module/&lt;name&gt;/ says about a module. Only loadable modules have <see cref="InitState"/>;
/// built-in modules with parameters get a directory without it.
/// </summary>
/// <param name="InitState">"live", "coming" or "going"; null for a built-in module.</param>
/// <param name="Taint">The module's taint letters, e.g. "OE"; empty when untainted, null when unreadable.</param>
/// <param name="HasSections">Whether sections/ exists: a rootkit that frees its section attributes loses it.</param>
internal sealed record SysModuleInfo(
    string Name,
    string? InitState,
    int? RefCount,
    string? Taint,
    string? SrcVersion,
    string? Version,
    IReadOnlyList<string> Holders,
    bool HasSections)
{
    public bool IsLoadable => InitState is not null;
}
