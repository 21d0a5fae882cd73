using System.Globalization;

namespace KmodGuard.Linux.Inventory;

/// <summary>Parses /proc/modules. A malformed line is reported in the error list and skipped; the rest still counts.</summary>
internal static class ProcModulesParser
{
    public const string PermanentMarker = "[permanent]";

    public static List<ProcModuleLine> Parse(string text, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        var lines = new List<ProcModuleLine>();
        int number = 0;
        foreach (ReadOnlySpan<char> raw in text.AsSpan().EnumerateLines())
        {
            number++;
            if (raw.IsWhiteSpace())
            {
                continue;
            }

            if (TryParseLine(raw.ToString(), out ProcModuleLine? line, out string? error))
            {
                lines.Add(line);
            }
            else
            {
                errors.Add($"/proc/modules line {number}: {error}");
            }
        }

        return lines;
    }

    internal static bool TryParseLine(string line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProcModuleLine? result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        result = null;
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 6 or > 7)
        {
            error = $"expected 6 or 7 fields (name size refcount deps state address [taints]), got {f.Length}";
            return false;
        }

        if (!ModuleName.IsValid(f[0]))
        {
            error = $"'{Printable(f[0])}' is not a module name";
            return false;
        }

        if (!long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
        {
            error = $"size '{Printable(f[1])}' is not a number";
            return false;
        }

        int? refCount = null;
        if (f[2] != "-")
        {
            if (!int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int rc))
            {
                error = $"refcount '{Printable(f[2])}' is not a number";
                return false;
            }

            refCount = rc;
        }

        // "-" for none, else a comma list with a trailing comma: "bridge,stp," or "[permanent],".
        string[] usedBy = f[3] == "-" ? [] : f[3].Split(',', StringSplitOptions.RemoveEmptyEntries);
        string? taints = null;
        if (f.Length == 7)
        {
            if (f[6].Length < 3 || f[6][0] != '(' || f[6][^1] != ')')
            {
                error = $"taints '{Printable(f[6])}' are not in parentheses";
                return false;
            }

            taints = f[6][1..^1];
        }

        string? address = f[5].TrimStart('0', 'x').Length == 0 ? null : f[5];
        result = new ProcModuleLine(f[0], size, refCount, usedBy, f[4], address, taints);
        error = null;
        return true;
    }

    private static string Printable(string s) => Core.Telemetry.DecisionSentence.Printable(s.Length > 64 ? s[..64] + "..." : s);
}
