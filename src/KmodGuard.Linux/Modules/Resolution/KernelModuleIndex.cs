namespace KmodGuard.Linux.Modules.Resolution;

/// <summary>
/// A kernel's module directory (/lib/modules/RELEASE) as modprobe reads it: modules.dep maps module names to files
/// and their dependencies, modules.alias and modules.symbols map aliases to module names. Names compare the way
/// kmod normalises them ('-' and '_' are the same, outside bracket sets).
/// </summary>
internal sealed class KernelModuleIndex
{
    private readonly Dictionary<string, (string Path, string[] Dependencies)> _modules = new(StringComparer.Ordinal);
    private readonly List<(string Pattern, string Module)> _aliases = [];

    private KernelModuleIndex(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>
    /// Reads modules.dep (required) and modules.alias / modules.symbols (if present, and unless
    /// <paramref name="aliases"/> is false: finding files by module name needs only modules.dep) of
    /// <paramref name="directory"/>, found under <paramref name="readRoot"/> (e.g. /proc/PID/root) when given. Throws
    /// IOException when unreadable.
    /// </summary>
    public static KernelModuleIndex Load(string directory, string? readRoot = null, bool aliases = true)
    {
        var index = new KernelModuleIndex(directory);
        string onDisk = readRoot + directory;
        foreach (string line in File.ReadLines(Path.Combine(onDisk, "modules.dep")))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string path = line[..colon];
            string[] dependencies = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            index._modules.TryAdd(ModuleNameOf(path), (path, dependencies));
        }

        foreach (string file in aliases ? (string[])["modules.alias", "modules.symbols"] : [])
        {
            string path = Path.Combine(onDisk, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (string line in File.ReadLines(path))
            {
                string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words is ["alias", var pattern, var module])
                {
                    index._aliases.Add((Normalize(pattern), Normalize(module)));
                }
            }
        }

        return index;
    }

    /// <summary>The module names a modprobe argument stands for: itself if it is a module, else every alias match.</summary>
    public IReadOnlyList<string> Resolve(string nameOrAlias)
    {
        string wanted = Normalize(nameOrAlias);
        if (_modules.ContainsKey(wanted))
        {
            return [wanted];
        }

        return [.. _aliases.Where(a => AliasPattern.Matches(a.Pattern, wanted)).Select(a => a.Module).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The module's file, absolute (in the loader's view, without the read root).</summary>
    public string? PathOf(string moduleName) =>
        _modules.TryGetValue(Normalize(moduleName), out var m) ? Path.Combine(Directory, m.Path) : null;

    /// <summary>The names of every module the given one depends on (modules.dep lists the whole chain).</summary>
    public IEnumerable<string> DependenciesOf(string moduleName) =>
        _modules.TryGetValue(Normalize(moduleName), out var m) ? m.Dependencies.Select(ModuleNameOf) : [];

    /// <summary>kmod's path_to_modname: the file name up to its first '.', normalised.</summary>
    public static string ModuleNameOf(string path)
    {
        string file = Path.GetFileName(path);
        int dot = file.IndexOf('.', StringComparison.Ordinal);
        return Normalize(dot < 0 ? file : file[..dot]);
    }

    /// <summary>kmod's alias_normalize: '-' becomes '_' except inside a [...] set.</summary>
    public static string Normalize(string name)
    {
        if (!name.Contains('-', StringComparison.Ordinal))
        {
            return name;
        }

        char[] chars = name.ToCharArray();
        bool inSet = false;
        for (int i = 0; i < chars.Length; i++)
        {
            inSet = chars[i] == '[' || (inSet && chars[i] != ']');
            if (!inSet && chars[i] == '-')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
