using System.Globalization;

namespace KmodGuard.Linux.Inventory;

/// <summary>Reads /sys/module. Unreadable attributes become null; a vanished directory (module unloaded meanwhile) is skipped.</summary>
internal sealed class SysModuleReader(HostPaths paths)
{
    public IReadOnlyList<SysModuleInfo> ReadAll()
    {
        string[] directories;
        try
        {
            directories = Directory.GetDirectories(paths.SysModule);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var result = new List<SysModuleInfo>(directories.Length);
        foreach (string dir in directories.Order(StringComparer.Ordinal))
        {
            if (Read(Path.GetFileName(dir)) is { } info)
            {
                result.Add(info);
            }
        }

        return result;
    }

    public SysModuleInfo? Read(string name)
    {
        if (!ModuleName.IsValid(name))
        {
            return null;
        }

        string dir = paths.SysModuleDirectory(name);
        if (!Directory.Exists(dir))
        {
            return null;
        }

        // Built-in modules (most of /sys/module) have no initstate and nothing else worth reading.
        string? initstate = Attribute(dir, "initstate");
        if (initstate is null)
        {
            return new SysModuleInfo(name, null, null, null, null, null, [], false);
        }

        string? refcnt = Attribute(dir, "refcnt");
        return new SysModuleInfo(
            name,
            initstate,
            int.TryParse(refcnt, NumberStyles.None, CultureInfo.InvariantCulture, out int rc) ? rc : null,
            Attribute(dir, "taint"),
            Attribute(dir, "srcversion"),
            Attribute(dir, "version"),
            Holders(dir),
            Directory.Exists(Path.Combine(dir, "sections")));
    }

    /// <summary>The module's taint letters right now, e.g. "OE"; null when it is not loaded or unreadable.</summary>
    public string? ReadTaint(string name) =>
        ModuleName.IsValid(name) ? Attribute(paths.SysModuleDirectory(name), "taint") : null;

    /// <summary>"live", "coming", "going", or null when the module is gone.</summary>
    public string? ReadInitState(string name) =>
        ModuleName.IsValid(name) ? Attribute(paths.SysModuleDirectory(name), "initstate") : null;

    private static string? Attribute(string dir, string attribute) => KernelAttribute.Read(Path.Combine(dir, attribute));

    private static string[] Holders(string dir)
    {
        try
        {
            return Directory.GetFileSystemEntries(Path.Combine(dir, "holders")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
