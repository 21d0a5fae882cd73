namespace KmodGuard.Linux.Inventory;

/// <summary>
/// The module name → file map of a kernel's modules.dep ("kernel/drivers/net/dummy.ko: dep.ko ..."; paths relative to
/// /lib/modules/&lt;release&gt;/ or absolute), as depmod writes it and modprobe reads it.
/// </summary>
internal sealed class ModulesDep
{
    private readonly Dictionary<string, string> _paths;

    private ModulesDep(Dictionary<string, string> paths) => _paths = paths;

    public static ModulesDep Empty { get; } = new([]);

    public int Count => _paths.Count;

    /// <summary>Loads <c>modules.dep</c> from <paramref name="moduleDirectory"/>; a missing file gives an empty map.</summary>
    /// <param name="reportPrefix">How returned paths begin: the real /lib/modules/&lt;release&gt; even when read under a fake root.</param>
    public static ModulesDep Load(string moduleDirectory, string reportPrefix, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string file = Path.Combine(moduleDirectory, "modules.dep");
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            return Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{file}: {e.Message}");
            return Empty;
        }

        return Parse(text, reportPrefix);
    }

    public static ModulesDep Parse(string text, string reportPrefix)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ReadOnlySpan<char> line in text.AsSpan().EnumerateLines())
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            string relative = line[..colon].Trim().ToString();
            string full = relative.StartsWith('/') ? relative : Path.Combine(reportPrefix, relative);
            // modprobe takes the first entry when a name appears twice (e.g. updates/ before kernel/).
            paths.TryAdd(ModuleName.FromFileName(relative), full);
        }

        return new ModulesDep(paths);
    }

    /// <summary>The module file for a loaded module's name (dashes and underscores are the same to the kernel).</summary>
    public string? PathOf(string moduleName) =>
        _paths.TryGetValue(moduleName.Replace('-', '_'), out string? path) ? path : null;
}
