namespace KmodGuard.Linux.Inventory;

/// <summary>How the loaded modules differ from the last baseline: what was loaded, swapped or removed while the agent was not running.</summary>
/// <param name="Previous">Null when there was no usable baseline (first start): then nothing is reported as new.</param>
/// <param name="Rebooted">The baseline is from an earlier boot, so "new" means new compared with what that boot had loaded.</param>
internal sealed record BaselineChanges(
    InventoryBaseline? Previous,
    bool Rebooted,
    IReadOnlyList<LoadedModule> New,
    IReadOnlyList<LoadedModule> Changed,
    IReadOnlyList<string> Gone)
{
    public static BaselineChanges Compare(InventoryBaseline? previous, ModuleInventory current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null)
        {
            return new BaselineChanges(null, false, [], [], []);
        }

        var before = new Dictionary<string, BaselineModule>(StringComparer.Ordinal);
        foreach (BaselineModule m in previous.Modules)
        {
            before.TryAdd(m.Name, m);
        }

        var nowNames = current.Modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return new BaselineChanges(
            previous,
            previous.BootId is not null && current.BootId is not null && previous.BootId != current.BootId,
            current.Modules.Where(m => !before.ContainsKey(m.Name)).ToArray(),
            current.Modules.Where(m => before.TryGetValue(m.Name, out BaselineModule? b) && Differs(b, m)).ToArray(),
            previous.Modules.Select(m => m.Name).Where(n => !nowNames.Contains(n)).Distinct().ToArray());
    }

    /// <summary>Only facts known on both sides count: an unknown hash is not a change.</summary>
    private static bool Differs(BaselineModule before, LoadedModule now) =>
        (before.SrcVersion is not null && now.SrcVersion is not null && before.SrcVersion != now.SrcVersion)
        || (before.Sha256 is not null && now.Inspection?.Sha256 is { } sha && !string.Equals(before.Sha256, sha, StringComparison.OrdinalIgnoreCase));
}
