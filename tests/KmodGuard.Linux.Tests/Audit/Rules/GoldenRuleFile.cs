namespace KmodGuard.Linux.Tests.Audit.Rules;

/// <summary>
/// Reads the golden rule files (go-libaudit <c>*.rules.golden.yml</c>, and the 6.18 sent-vs-listed file): a list of
/// <c>- flags: ...</c> entries with <c>!!binary |</c> base64 blocks. Small enough to read by hand rather than pull in
/// a YAML library for tests.
/// </summary>
internal static class GoldenRuleFile
{
    public sealed record Entry(string Flags, IReadOnlyDictionary<string, byte[]> Binaries);

    public static IReadOnlyList<Entry> Load(string path)
    {
        var entries = new List<Entry>();
        string? flags = null;
        Dictionary<string, byte[]> binaries = [];
        string? binaryKey = null;
        var base64 = new System.Text.StringBuilder();

        void EndBinary()
        {
            if (binaryKey is not null)
            {
                binaries[binaryKey] = Convert.FromBase64String(base64.ToString());
                binaryKey = null;
                base64.Clear();
            }
        }

        void EndEntry()
        {
            EndBinary();
            if (flags is not null)
            {
                entries.Add(new Entry(flags, binaries));
            }

            binaries = [];
        }

        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.TrimEnd();
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith('#') || trimmed.Length == 0 || trimmed == "rules:")
            {
                continue;
            }

            if (trimmed.StartsWith("- flags: ", StringComparison.Ordinal))
            {
                EndEntry();
                flags = trimmed["- flags: ".Length..];
            }
            else if (trimmed.EndsWith(": !!binary |", StringComparison.Ordinal))
            {
                EndBinary();
                binaryKey = trimmed[..trimmed.IndexOf(':', StringComparison.Ordinal)];
            }
            else if (binaryKey is not null && !trimmed.Contains(':', StringComparison.Ordinal))
            {
                base64.Append(trimmed);
            }
            else if (flags is not null && binaries.Count == 0 && binaryKey is null && trimmed.StartsWith('-'))
            {
                // A long plain scalar folded onto the next line.
                flags += " " + trimmed;
            }
            else
            {
                EndBinary();
            }
        }

        EndEntry();
        return entries;
    }

    public static IEnumerable<string> GoLibauditFiles() =>
        Directory.GetFiles(Fixtures.PathOf("rules"), "*.rules.golden.yml").Order(StringComparer.Ordinal);
}
