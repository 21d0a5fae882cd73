using System.Buffers.Text;
using System.Text;

namespace KmodGuard.Linux.KernelLog;

/// <summary>Parses /dev/kmsg records without trusting them: anything malformed is an error string, never an exception.</summary>
internal static class KmsgParser
{
    /// <summary>Parses one record as a read(2) of /dev/kmsg returns it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> record, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KmsgRecord? result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        result = null;
        int semicolon = record.IndexOf((byte)';');
        if (semicolon < 0)
        {
            error = "no ';' between the prefix and the message";
            return false;
        }

        ReadOnlySpan<byte> prefix = record[..semicolon];
        if (!NextNumber(ref prefix, out ulong priority) || !NextNumber(ref prefix, out ulong sequence) || !NextNumber(ref prefix, out ulong micros))
        {
            error = "prefix is not 'priority,sequence,timestamp,flags'";
            return false;
        }

        if (priority > 1023 || micros > long.MaxValue / TimeSpan.TicksPerMicrosecond)
        {
            error = "priority or timestamp out of range";
            return false;
        }

        // The flags field may be followed by further fields (",caller=T1") that this parser ignores.
        char flags = prefix.Length > 0 ? (char)prefix[0] : '-';
        ReadOnlySpan<byte> rest = record[(semicolon + 1)..];
        int newline = rest.IndexOf((byte)'\n');
        ReadOnlySpan<byte> message = newline < 0 ? rest : rest[..newline];
        List<string>? properties = null;
        ReadOnlySpan<byte> more = newline < 0 ? default : rest[(newline + 1)..];
        while (!more.IsEmpty)
        {
            int end = more.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? more : more[..end];
            if (line.Length > 1 && line[0] == ' ')
            {
                (properties ??= []).Add(Unescape(line[1..]));
            }

            more = end < 0 ? default : more[(end + 1)..];
        }

        result = new KmsgRecord((int)(priority >> 3), (int)(priority & 7), sequence, TimeSpan.FromTicks((long)micros * TimeSpan.TicksPerMicrosecond), flags, Unescape(message), properties ?? (IReadOnlyList<string>)[]);
        error = null;
        return true;
    }

    /// <summary>Splits a text capture of /dev/kmsg (records, each with its indented property lines) and parses each record.</summary>
    public static IEnumerable<(KmsgRecord? Record, string? Error)> ParseCapture(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = new StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(' ') && current.Length > 0)
            {
                current.Append('\n').Append(line);
                continue;
            }

            if (current.Length > 0)
            {
                yield return Parse(current.ToString());
                current.Clear();
            }

            current.Append(line.TrimEnd('\r'));
        }

        if (current.Length > 0)
        {
            yield return Parse(current.ToString());
        }

        static (KmsgRecord?, string?) Parse(string record) =>
            TryParse(Encoding.UTF8.GetBytes(record), out KmsgRecord? r, out string? e) ? (r, null) : (null, e);
    }

    private static bool NextNumber(ref ReadOnlySpan<byte> fields, out ulong value)
    {
        int comma = fields.IndexOf((byte)',');
        if (comma <= 0 || !Utf8Parser.TryParse(fields[..comma], out value, out int consumed) || consumed != comma)
        {
            value = 0;
            return false;
        }

        fields = fields[(comma + 1)..];
        return true;
    }

    /// <summary>The kernel writes bytes below ' ', above '~' and the backslash itself as \xNN.</summary>
    private static string Unescape(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(text);
        }

        byte[] bytes = new byte[text.Length];
        int n = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x' && Utf8Parser.TryParse(text.Slice(i + 2, 2), out byte b, out int used, 'x') && used == 2)
            {
                bytes[n++] = b;
                i += 3;
            }
            else
            {
                bytes[n++] = text[i];
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, n);
    }
}
