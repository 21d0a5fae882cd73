using System.Globalization;
using System.Text;

namespace KmodGuard.Benchmarks.Audit;

/// <summary>
/// The large audit log the throughput benchmark reads: real captured records (the Linux 6.18 netlink capture and
/// auditd's ENRICHED log of it, and the RHEL 7 log from go-libaudit) repeated with fresh serials and timestamps until
/// the file has at least the requested size, as auditd writes it (no EOE records). Generated at bench time under
/// artifacts/, never committed.
/// </summary>
internal static class BenchmarkAuditLog
{
    private static readonly string[] Templates =
    [
        "captures-6.18/auditd-3.0.9-enriched.log",
        "captures-6.18/netlink-unicast-capture.log",
        "auparse/audit-rhel7.log",
    ];

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KmodGuard.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"no KmodGuard.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Writes the log unless a large enough one is already there; returns its path.</summary>
    public static string Ensure(long minimumBytes)
    {
        string root = RepositoryRoot();
        string path = Path.Combine(root, "artifacts", "bench-data", $"audit-{minimumBytes / (1024 * 1024)}mb.log");
        if (File.Exists(path) && new FileInfo(path).Length >= minimumBytes)
        {
            return path;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        List<(string Prefix, long Seconds, string Milliseconds, int Event, string Tail)> template = Template(root);
        int eventsPerCopy = template.Max(t => t.Event) + 1;
        using (var output = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" })
        {
            for (long copy = 0; output.BaseStream.Length < minimumBytes; copy++)
            {
                foreach ((string prefix, long seconds, string ms, int evt, string tail) in template)
                {
                    long serial = (copy * eventsPerCopy) + evt + 1;
                    output.Write(prefix);
                    output.Write(string.Create(CultureInfo.InvariantCulture, $"msg=audit({1_700_000_000 + (copy * 10) + (seconds % 10)}.{ms}:{serial % 4_294_967_296}):"));
                    output.WriteLine(tail);
                }
            }
        }

        return path;
    }

    /// <summary>Every record line of the templates, split around its header, with events numbered across files.</summary>
    private static List<(string, long, string, int, string)> Template(string root)
    {
        var lines = new List<(string, long, string, int, string)>();
        int nextEvent = 0;
        foreach (string file in Templates)
        {
            var events = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string line in File.ReadLines(Path.Combine(root, "tests", "fixtures", "audit", file)))
            {
                int start = line.IndexOf("msg=audit(", StringComparison.Ordinal);
                int end = start < 0 ? -1 : line.IndexOf("):", start, StringComparison.Ordinal);
                // auditd writes neither EOE nor its own DAEMON records into the stream we imitate.
                if (start < 0 || end < 0 || line.Contains("type=DAEMON_", StringComparison.Ordinal) || line.Contains("type=EOE ", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] header = line[(start + 10)..end].Split('.', ':');
                if (header.Length != 3 || !long.TryParse(header[0], CultureInfo.InvariantCulture, out long seconds))
                {
                    continue;
                }

                if (!events.TryGetValue(header[2], out int evt))
                {
                    events[header[2]] = evt = nextEvent++;
                }

                lines.Add((line[..start], seconds, header[1], evt, line[(end + 2)..]));
            }
        }

        return lines;
    }
}
