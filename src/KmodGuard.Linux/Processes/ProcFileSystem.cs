using System.Globalization;
using System.Text;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// Reads per-process facts from procfs. The root is configurable so tests can use a fake tree. A process that is
/// gone (or hidden from us) gives null, never an exception: loaders often exit before their event is handled.
/// </summary>
internal sealed class ProcFileSystem(string root)
{
    /// <summary>Command lines longer than this are cut (the kernel allows megabytes; a record should not).</summary>
    public const int MaxCommandLineBytes = 32 * 1024;

    public static ProcFileSystem Host { get; } = new("/proc");

    public string Root { get; } = root;

    public string PathOf(int pid, string entry) => $"{Root}/{pid.ToString(CultureInfo.InvariantCulture)}/{entry}";

    /// <summary>The process's name as the kernel keeps it (comm: at most 15 bytes, may contain spaces).</summary>
    public string? ReadComm(int pid) => ReadText(PathOf(pid, "comm"))?.TrimEnd('\n');

    public ProcessStat? ReadStat(int pid) => ReadText(PathOf(pid, "stat")) is { } line ? ProcessStat.Parse(line) : null;

    /// <summary>argv as the process sees it now, or null. Kernel threads have an empty command line.</summary>
    public IReadOnlyList<string>? ReadCommandLine(int pid)
    {
        byte[]? raw = ReadBytes(PathOf(pid, "cmdline"), MaxCommandLineBytes);
        if (raw is null)
        {
            return null;
        }

        ReadOnlySpan<byte> span = raw.AsSpan().TrimEnd((byte)0);
        var args = new List<string>();
        foreach (Range r in span.Split((byte)0))
        {
            args.Add(Encoding.UTF8.GetString(span[r]));
        }

        return span.IsEmpty ? [] : args;
    }

    /// <summary>The target of a /proc/PID link (exe, cwd, fd/N, ns/pid), or null when it cannot be read.</summary>
    public string? ReadLink(int pid, string entry) => ReadLinkAt(PathOf(pid, entry));

    /// <summary>Real and effective uid from the Uid: line of /proc/PID/status.</summary>
    public (int Real, int Effective)? ReadUserIds(int pid)
    {
        if (ReadText(PathOf(pid, "status")) is not { } status)
        {
            return null;
        }

        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                string[] ids = line[4..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (ids.Length >= 2 && int.TryParse(ids[0], out int real) && int.TryParse(ids[1], out int effective))
                {
                    return (real, effective);
                }
            }
        }

        return null;
    }

    /// <summary>The audit login uid; null when unset (4294967295) or unreadable.</summary>
    public int? ReadLoginUid(int pid) =>
        ReadText(PathOf(pid, "loginuid")) is { } text && uint.TryParse(text.Trim(), out uint auid) && auid != uint.MaxValue ? (int)auid : null;

    public string? ReadCgroup(int pid) => ReadText(PathOf(pid, "cgroup"));

    /// <summary>The inode of one of the process's namespaces ("pid", "mnt"), from the link text <c>pid:[4026531836]</c>.</summary>
    public ulong? ReadNamespace(string pidOrSelf, string kind)
    {
        string? target = ReadLinkAt($"{Root}/{pidOrSelf}/ns/{kind}");
        if (target is null || !target.StartsWith(kind + ":[", StringComparison.Ordinal) || !target.EndsWith(']'))
        {
            return null;
        }

        return ulong.TryParse(target.AsSpan(kind.Length + 2, target.Length - kind.Length - 3), out ulong inode) ? inode : null;
    }

    /// <summary>The running kernel's release (what uname -r prints), from sys/kernel/osrelease.</summary>
    public string? KernelRelease() => ReadText($"{Root}/sys/kernel/osrelease")?.Trim();

    private static string? ReadLinkAt(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadText(string path) => ReadBytes(path, 1 << 20) is { } b ? Encoding.UTF8.GetString(b) : null;

    /// <summary>Reads up to <paramref name="max"/> bytes; procfs files report size 0, so this reads until end of file.</summary>
    private static byte[]? ReadBytes(string path, int max)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            byte[] buffer = new byte[Math.Min(max, 4096)];
            int length = 0;
            int read;
            while (length < max && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
                if (length == buffer.Length && length < max)
                {
                    Array.Resize(ref buffer, Math.Min(max, buffer.Length * 2));
                }
            }

            return buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
