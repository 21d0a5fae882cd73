using System.Globalization;

namespace KmodGuard.Core.Policy.Yaml;

/// <summary>
/// Typed reads of <see cref="YamlNode"/>s for a document's parser (the policy, the agent configuration): each failed
/// read adds a <see cref="PolicyError"/> located at the node and returns null, so a parser reports every problem at once.
/// </summary>
internal abstract class YamlDocumentParser(string source, List<PolicyError> errors)
{
    protected string? ExpectString(YamlNode node, string what)
    {
        if (node is YamlScalar s && !(s.Plain && IsNull(s.Value)))
        {
            return s.Value;
        }

        Error(node, $"'{what}' must be a string");
        return null;
    }

    protected string? ExpectWord(YamlNode node, string what, string[] words)
    {
        if (node is YamlScalar s && Array.IndexOf(words, s.Value) >= 0)
        {
            return s.Value;
        }

        string got = node is YamlScalar sc ? $"'{Shorten(sc.Value)}'" : "a " + Describe(node);
        Error(node, $"'{what}' must be one of {string.Join(", ", words)}; got {got}");
        return null;
    }

    protected int? ExpectInteger(YamlNode node, string what)
    {
        if (node is YamlScalar { Plain: true } s
            && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        string got = node is YamlScalar sc ? $"'{Shorten(sc.Value)}'" : "a " + Describe(node);
        Error(node, $"'{what}' must be an integer; got {got}");
        return null;
    }

    protected bool? ExpectBoolean(YamlNode node, string what)
    {
        if (node is YamlScalar { Plain: true } s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        string got = node is YamlScalar sc ? $"'{Shorten(sc.Value)}'" : "a " + Describe(node);
        Error(node, $"'{what}' must be true or false; got {got}");
        return null;
    }

    protected void UnknownKey(YamlScalar key, string where, string[] expected)
    {
        string? hint = expected.FirstOrDefault(e => EditDistance(e, key.Value) <= 2);
        string suggestion = hint is null ? string.Empty : $" (did you mean '{hint}'?)";
        Error(key, $"unknown key '{Shorten(key.Value)}' in {where}{suggestion}; expected one of: {string.Join(", ", expected)}");
    }

    protected void Missing(YamlMapping map, string key, bool present)
    {
        if (!present)
        {
            Error(map, $"missing required key '{key}'");
        }
    }

    protected static bool HasKey(YamlMapping map, string key) => map.Entries.Any(e => e.Key.Value == key);

    protected void Error(YamlNode node, string message) => errors.Add(new PolicyError(source, node.Line, node.Column, message));

    protected static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    protected static string Describe(YamlNode node) => node switch
    {
        YamlSequence => "list",
        YamlMapping => "mapping",
        _ => "scalar",
    };

    /// <summary>Keeps hostile or huge values out of error messages.</summary>
    protected static string Shorten(string value)
    {
        const int Max = 80;
        string printable = new(value.Select(c => char.IsControl(c) ? '?' : c).Take(Max).ToArray());
        return value.Length > Max ? printable + "…" : printable;
    }

    private static int EditDistance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
