namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Reads what a module tool was asked to do from its argv: <c>insmod FILE</c> names the module file; <c>modprobe NAME</c>
/// names a module that modprobe resolves itself (and it may load dependencies first), so only a path given to modprobe
/// counts as a file. Handles <c>kmod insmod ...</c> and <c>busybox insmod ...</c>.
/// </summary>
internal static class ModuleToolCommand
{
    /// <summary>modprobe options that take a separate value (kmod and busybox).</summary>
    private static readonly string[] ModprobeOptionsWithValue = ["-C", "--config", "-d", "--dirname", "-S", "--set-version", "-o", "--name"];

    private static readonly string[] Tools = ["insmod", "modprobe", "rmmod", "kmod", "busybox"];

    /// <summary>The tool an argv runs (insmod, modprobe, rmmod), or null when it is not a module tool.</summary>
    public static string? ToolOf(IReadOnlyList<string> argv, out int firstArgument)
    {
        firstArgument = 1;
        if (argv.Count == 0)
        {
            return null;
        }

        string tool = Path.GetFileName(argv[0]);
        if (tool is "kmod" or "busybox" && argv.Count > 1)
        {
            tool = argv[1];
            firstArgument = 2;
        }

        return tool is "insmod" or "modprobe" or "rmmod" ? tool : null;
    }

    /// <summary>Whether an executable or argv[0] looks like one of the module tools (worth remembering its exec).</summary>
    public static bool IsModuleTool(string? executable, IReadOnlyList<string> argv) =>
        (executable is not null && Tools.Contains(Path.GetFileName(executable), StringComparer.Ordinal))
        || (argv.Count > 0 && Tools.Contains(Path.GetFileName(argv[0]), StringComparer.Ordinal));

    /// <summary>
    /// The module file a load by this argv used, resolved against <paramref name="workingDirectory"/>; or null, with
    /// <paramref name="unresolved"/> saying why when argv names a module some other way.
    /// </summary>
    public static string? LoadedFile(IReadOnlyList<string> argv, string? workingDirectory, out string? unresolved)
    {
        unresolved = null;
        string? tool = ToolOf(argv, out int first);
        if (tool == "insmod")
        {
            string? file = FirstOperand(argv, first, []);
            return file is null ? null : Resolve(file, workingDirectory, out unresolved);
        }

        if (tool != "modprobe" || argv.Skip(first).Any(a => a is "-r" or "--remove"))
        {
            return null;
        }

        string? name = FirstOperand(argv, first, ModprobeOptionsWithValue);
        if (name is null)
        {
            return null;
        }

        if (name.Contains('/', StringComparison.Ordinal))
        {
            return Resolve(name, workingDirectory, out unresolved);
        }

        unresolved = $"file: modprobe module name '{name}' (modprobe resolves it from modules.dep)";
        return null;
    }

    private static string? FirstOperand(IReadOnlyList<string> argv, int first, string[] optionsWithValue)
    {
        for (int i = first; i < argv.Count; i++)
        {
            string a = argv[i];
            if (a == "--")
            {
                return i + 1 < argv.Count ? argv[i + 1] : null;
            }

            if (a.StartsWith('-'))
            {
                if (optionsWithValue.Contains(a, StringComparer.Ordinal))
                {
                    i++;
                }

                continue;
            }

            return a;
        }

        return null;
    }

    private static string? Resolve(string path, string? workingDirectory, out string? unresolved)
    {
        unresolved = null;
        string? absolute = Absolute(path, workingDirectory);
        if (absolute is null)
        {
            unresolved = $"file: relative path '{path}' and no working directory";
        }

        return absolute;
    }

    /// <summary>
    /// <paramref name="path"/> made absolute against <paramref name="workingDirectory"/> and normalized as text (no file
    /// system access: it is another process's view); null when that cannot be done.
    /// </summary>
    public static string? Absolute(string path, string? workingDirectory)
    {
        // A NUL cannot be in a real path, only in hostile input; GetFullPath would throw on it.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        if (path.StartsWith('/'))
        {
            return Path.GetFullPath(path);
        }

        return workingDirectory is { } cwd && cwd.StartsWith('/') && !cwd.Contains('\0', StringComparison.Ordinal)
            ? Path.GetFullPath(path, cwd)
            : null;
    }
}
