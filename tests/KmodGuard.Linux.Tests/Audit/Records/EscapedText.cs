using System.Text;

namespace KmodGuard.Linux.Tests.Audit.Records;

/// <summary>The inverse of <c>AuditValue.ToPrintableString</c>, as an auditor would apply it to recover the bytes.</summary>
internal static class EscapedText
{
    /// <summary><paramref name="escaped"/>: whether the text came from bytes that were not UTF-8 (only then are \xNN and \\ escapes).</summary>
    public static byte[] ToBytes(string text, bool escaped)
    {
        if (!escaped)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else if (text[i] == '\\' && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                int length = char.IsSurrogatePair(text, i) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i, length)));
                i += length - 1;
            }
        }

        return [.. bytes];
    }
}
