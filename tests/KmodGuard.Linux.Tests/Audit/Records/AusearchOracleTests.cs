using System.Text;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Tests.Audit.Records;

/// <summary>
/// Our decoding of every record in the test logs against the real ausearch (auditd 3.0.9, <c>ausearch -i</c>, which
/// interprets with libauparse): syscall name, exit/errno, comm, exe, key, KERN_MODULE name, proctitle, cwd, PATH name
/// and EXECVE arguments must be what ausearch shows.
/// </summary>
public sealed class AusearchOracleTests
{
    public static TheoryData<string> Logs() =>
    [
        "captures-6.18/auditd-3.0.9-enriched.log",
        "captures-6.18/netlink-unicast-capture.log",
        "sample/audit.log",
        "auparse/audit-rhel6.log",
        "auparse/audit-rhel7.log",
        "auparse/test2.log",
        "auparse/test3.log",
        "reassembler/normal.log",
    ];

    [SkippableTheory]
    [MemberData(nameof(Logs))]
    public void Our_decoded_fields_equal_what_ausearch_interprets(string log)
    {
        string? ausearch = TestEnvironment.FindTool("ausearch");
        Skip.If(ausearch is null, "needs ausearch (Debian package auditd)");
        string path = Fixtures.PathOf(log.Split('/'));
        (_, string output, _) = TestEnvironment.Run(ausearch!, ["-if", path, "-i"]);
        Dictionary<(uint, string, string), Queue<Dictionary<string, string>>> theirs = ParseAusearch(output);
        Assert.NotEmpty(theirs);

        int compared = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (AuditRecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out AuditRecord record) != AuditParseError.None)
            {
                continue;
            }

            string type = AuditRecordTypeNames.DisplayName(record.Type);
            string item = record.TryGetField("item"u8, out ReadOnlySpan<byte> i) ? Encoding.ASCII.GetString(i) : "";
            if (!theirs.TryGetValue((record.Serial, type, item), out var queue) || !queue.TryDequeue(out Dictionary<string, string>? fields))
            {
                continue;
            }

            foreach ((string name, string? ours) in Ours(record))
            {
                if (fields.TryGetValue(name, out string? their))
                {
                    Assert.True(Same(name, ours, their), $"{log} serial {record.Serial} {type} {name}: ours '{ours}', ausearch '{their}'");
                    compared++;
                }
            }
        }

        Assert.True(compared > 0, "no field was compared");
    }

    /// <summary>Our interpretation of the fields the oracle checks.</summary>
    private static List<(string Name, string? Value)> Ours(AuditRecord r)
    {
        var ours = new List<(string, string?)>();
        switch (r.Type)
        {
            case AuditRecordType.Syscall:
                SyscallRecordFields s = SyscallRecordFields.Parse(r.Body);
                string? name = s.Arch is uint arch && s.Syscall is long n ? SyscallTable.For(arch)?.NameOf(n) ?? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                ours.Add(("syscall", name));
                ours.Add(("exit", s.Exit is < 0 && ErrnoNames.NameOf(-s.Exit.Value) is { } errno ? errno : s.Exit?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                ours.Add(("comm", AuditValue.DecodeToString(s.Comm)));
                ours.Add(("exe", AuditValue.DecodeToString(s.Exe)));
                ours.Add(("key", AuditValue.DecodeKey(s.Key)));
                break;
            case AuditRecordType.KernModule:
            case AuditRecordType.Path:
                ours.Add(("name", Decoded(r, "name"u8)));
                break;
            case AuditRecordType.Cwd:
                ours.Add(("cwd", Decoded(r, "cwd"u8)));
                break;
            case AuditRecordType.Proctitle:
                ours.Add(("proctitle", r.TryGetField("proctitle"u8, out ReadOnlySpan<byte> raw) && CommandLineArguments.FromProctitle(raw) is { } args ? string.Join(' ', args) : null));
                break;
            case AuditRecordType.Execve:
                foreach (AuditField f in r.Fields)
                {
                    if (f.Name.Length >= 2 && f.Name[0] == (byte)'a' && f.Name[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
                    {
                        ours.Add((Encoding.ASCII.GetString(f.Name), AuditValue.DecodeToString(f.RawValue)));
                    }
                }

                break;
            default:
                break;
        }

        return ours;
    }

    private static string? Decoded(AuditRecord r, ReadOnlySpan<byte> field) => r.TryGetField(field, out ReadOnlySpan<byte> raw) ? AuditValue.DecodeToString(raw) : null;

    private static bool Same(string name, string? ours, string their) => name switch
    {
        // ausearch adds the errno text: "ENOSYS(Function not implemented)".
        "exit" => ours == (their.IndexOf('(', StringComparison.Ordinal) is int p and > 0 ? their[..p] : their),
        _ => (ours ?? "(null)") == their || (ours is null && their is "(none)" or "?"),
    };

    /// <summary>
    /// Splits <c>ausearch -i</c> output into records keyed by (serial, type, PATH item). Interpreted values are not
    /// quoted and may hold spaces, so a value runs to the next " name=" (a proctitle runs to the end of the line).
    /// </summary>
    private static Dictionary<(uint, string, string), Queue<Dictionary<string, string>>> ParseAusearch(string output)
    {
        var records = new Dictionary<(uint, string, string), Queue<Dictionary<string, string>>>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd();
            int typeAt = line.IndexOf("type=", StringComparison.Ordinal);
            int header = line.IndexOf(") : ", StringComparison.Ordinal);
            if (typeAt < 0 || header < 0)
            {
                continue;
            }

            string type = line[(typeAt + 5)..line.IndexOf(' ', typeAt)];
            string stamp = line[..header];
            uint serial = uint.Parse(stamp[(stamp.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            string body = line[(header + 4)..];
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (type == "PROCTITLE" && body.StartsWith("proctitle=", StringComparison.Ordinal))
            {
                fields["proctitle"] = body["proctitle=".Length..];
            }
            else
            {
                foreach ((string name, string value) in SplitFields(body))
                {
                    fields.TryAdd(name, value);
                }
            }

            var key = (serial, type, fields.GetValueOrDefault("item", ""));
            if (!records.TryGetValue(key, out var queue))
            {
                records[key] = queue = new Queue<Dictionary<string, string>>();
            }

            queue.Enqueue(fields);
        }

        return records;
    }

    private static IEnumerable<(string, string)> SplitFields(string body)
    {
        var starts = new List<int>();
        for (int i = 0; i < body.Length; i++)
        {
            if ((i == 0 || body[i - 1] == ' ') && NameEnd(body, i) is int eq and > 0)
            {
                starts.Add(i);
                i = eq;
            }
        }

        for (int k = 0; k < starts.Count; k++)
        {
            int eq = NameEnd(body, starts[k])!.Value;
            int end = k + 1 < starts.Count ? starts[k + 1] - 1 : body.Length;
            yield return (body[starts[k]..eq], body[(eq + 1)..end]);
        }
    }

    private static int? NameEnd(string s, int start)
    {
        int i = start;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or '-' or '[' or ']'))
        {
            i++;
        }

        return i > start && i < s.Length && s[i] == '=' ? i : null;
    }
}
