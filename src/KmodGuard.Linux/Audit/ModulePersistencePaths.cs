namespace KmodGuard.Linux.Audit;

/// <summary>
/// Configuration that makes modules load at boot (issue 4, requirement 4): KmodGuard watches these for writes and
/// attribute changes, and reports changes under them as persistence activities. Directories end with '/'.
/// </summary>
internal static class ModulePersistencePaths
{
    public static IReadOnlyList<string> All { get; } =
    [
        "/etc/modules",
        "/etc/modules-load.d/",
        "/usr/lib/modules-load.d/",
        "/etc/modprobe.d/",
        "/lib/modprobe.d/",
        "/usr/lib/modprobe.d/",
    ];

    /// <summary>Whether an absolute, normalized path is one of them or inside one of the directories.</summary>
    public static bool Contains(string path)
    {
        foreach (string p in All)
        {
            if (p.EndsWith('/')
                ? path.StartsWith(p, StringComparison.Ordinal) || path.AsSpan().SequenceEqual(p.AsSpan(0, p.Length - 1))
                : path == p)
            {
                return true;
            }
        }

        return false;
    }
}
