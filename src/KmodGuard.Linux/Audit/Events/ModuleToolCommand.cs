using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Reads what a module tool was asked to do from its argv: <c>insmod FILE</c> names the module file; <c>modprobe NAME</c>
/// names a module that modprobe resolves itself (and it may load dependencies first), so only a path given to modprobe
/// counts as a file. Handles <c>kmod insmod ...</c> and <c>busybox insmod ...</c>.
/// </summary>
internal static class ModuleToolCommand
{
    private static readonly string[] Tools = ["insmod", "modprobe", "rmmod", "kmod", "busybox"];

    /// <summary>Whether an executable or argv[0] looks like one of the module tools (worth remembering its exec).</summary>
    public static bool IsModuleTool(string? executable, IReadOnlyList<string> argv) =>
        (executable is not null && Tools.Contains(Path.GetFileName(executable), StringComparer.Ordinal))
        || (argv.Count > 0 && Tools.Contains(Path.GetFileName(argv[0]), StringComparer.Ordinal));

    /// <summary>
    /// The module file a load by this argv used, resolved against <paramref name="workingDirectory"/>; or null, with
    /// <paramref name="unresolved"/> saying why when argv names a module some other way. The command line is read
    /// by <see cref="LoaderRequest"/>, as the enricher reads it.
    /// </summary>
    public static string? LoadedFile(IReadOnlyList<string> argv, string? workingDirectory, out string? unresolved)
    {
        unresolved = null;
        if (LoaderRequest.Parse(argv) is not { Targets: [string target, ..] } request)
        {
            return null;
        }

        if (request.Tool == LoaderTool.Insmod || target.Contains('/', StringComparison.Ordinal))
        {
            return Resolve(target, workingDirectory, out unresolved);
        }

        unresolved = $"file: modprobe module name '{target}' (modprobe resolves it from modules.dep)";
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
