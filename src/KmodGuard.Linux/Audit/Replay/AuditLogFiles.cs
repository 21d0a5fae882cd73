using System.Globalization;

namespace KmodGuard.Linux.Audit.Replay;

/// <summary>
/// Puts rotated logs in the order they were written: auditd rotates audit.log to audit.log.1, .1 to .2 and so on, so
/// audit.log.2, audit.log.1, audit.log is oldest first (whatever order the shell expanded <c>audit.log*</c> in).
/// Files of different logs keep the order they were given in; <c>-</c> (stdin) stays where it is.
/// </summary>
internal static class AuditLogFiles
{
    public static IReadOnlyList<string> InWrittenOrder(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths
            .Select((path, index) => (Path: path, Index: index, Split: path == "-" ? (Log: $"-{index}", Rotation: 0) : Split(path)))
            .GroupBy(p => p.Split.Log, StringComparer.Ordinal)
            .OrderBy(g => g.Min(p => p.Index))
            .SelectMany(g => g.OrderByDescending(p => p.Split.Rotation).ThenBy(p => p.Index))
            .Select(p => p.Path)
            .ToArray();
    }

    /// <summary>"audit.log.2" → ("audit.log", 2); "audit.log" → ("audit.log", 0).</summary>
    private static (string Log, int Rotation) Split(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot > 0 && dot < path.Length - 1 && int.TryParse(path.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? (path[..dot], n)
            : (path, 0);
    }
}
