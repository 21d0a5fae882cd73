using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// Interprets raw field values. The kernel writes untrusted strings (comm, exe, cwd, PATH name, KERN_MODULE name, key,
/// proctitle, EXECVE args) quoted when they hold only bytes 0x21..0x7e other than <c>"</c>, and otherwise as unquoted
/// UPPERCASE hex of every byte (kernel/audit.c <c>audit_log_n_untrustedstring</c>); auditd encodes its ENRICHED values
/// the same way.
/// </summary>
internal static class AuditValue
{
    /// <summary>
    /// Decodes a possibly hex-encoded value into <paramref name="destination"/> (which needs at least
    /// <c>raw.Length</c> bytes): a quoted value is taken literally, an unquoted even-length all-uppercase-hex value
    /// is decoded, anything else is copied as written. Returns the number of bytes written.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        ReadOnlySpan<byte> text = Unquote(raw, out bool quoted);
        if (!quoted && IsUpperHex(text))
        {
            for (int i = 0; i < text.Length; i += 2)
            {
                destination[i / 2] = (byte)((HexDigit(text[i]) << 4) | HexDigit(text[i + 1]));
            }

            return text.Length / 2;
        }

        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>
    /// Decodes an encoded value to text; null for the kernel's "no value" markers (<c>(null)</c>, <c>(none)</c>, an empty
    /// value). Bytes that are not UTF-8 are kept visibly (see <see cref="ToPrintableString"/>).
    /// </summary>
    public static string? DecodeToString(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw.SequenceEqual("(null)"u8) || raw.SequenceEqual("(none)"u8))
        {
            return null;
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            int length = Decode(raw, buffer);
            return ToPrintableString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>A rule key: encoded like a string; several keys are joined by 0x01, returned joined by commas.</summary>
    public static string? DecodeKey(ReadOnlySpan<byte> raw) => DecodeToString(raw)?.Replace('\x01', ',');

    /// <summary>A value that is never hex-encoded (tty, op, res, ...) as text; null for <c>(none)</c> and <c>(null)</c>.</summary>
    public static string? PlainToString(ReadOnlySpan<byte> raw) =>
        raw.IsEmpty || raw.SequenceEqual("(null)"u8) || raw.SequenceEqual("(none)"u8) ? null : ToPrintableString(Unquote(raw, out _));

    /// <summary>The value without its surrounding quotes (<c>"</c> or <c>'</c>), or as is.</summary>
    public static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> raw, out bool quoted)
    {
        quoted = raw.Length >= 2 && (raw[0] == (byte)'"' || raw[0] == (byte)'\'') && raw[^1] == raw[0];
        return quoted ? raw[1..^1] : raw;
    }

    /// <summary>
    /// Decoded bytes as text, loss-free: valid UTF-8 is returned as is; otherwise each byte that is not part of valid
    /// UTF-8 becomes <c>\xNN</c> and a literal backslash becomes <c>\\</c>, so the original bytes can be recovered.
    /// Never throws.
    /// </summary>
    public static string ToPrintableString(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length + 16);
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed);
            if (status != OperationStatus.Done)
            {
                sb.Append("\\x").Append(HexUpper[bytes[0] >> 4]).Append(HexUpper[bytes[0] & 0xF]);
                bytes = bytes[1..];
                continue;
            }

            if (rune.Value == '\\')
            {
                sb.Append('\\');
            }

            sb.Append(rune.ToString());
            bytes = bytes[consumed..];
        }

        return sb.ToString();
    }

    public static bool IsUpperHex(ReadOnlySpan<byte> text) =>
        !text.IsEmpty && (text.Length & 1) == 0 && !text.ContainsAnyExcept(UpperHexDigits);

    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;

    public static bool TryParseInt32(ReadOnlySpan<byte> text, out int value) =>
        Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;

    public static bool TryParseUInt32(ReadOnlySpan<byte> text, out uint value) =>
        Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;

    /// <summary>Bare hex without 0x (a0..a3, arch), either case.</summary>
    public static bool TryParseHex(ReadOnlySpan<byte> text, out ulong value) =>
        Utf8Parser.TryParse(text, out value, out int consumed, 'x') && consumed == text.Length;

    /// <summary>A uid/auid/ses value, with 4294967295 (and -1) meaning "unset" (null).</summary>
    public static long? ParseId(ReadOnlySpan<byte> raw) =>
        TryParseInt64(raw, out long v) && v is not (4294967295 or -1) ? v : null;

    private static readonly SearchValues<byte> UpperHexDigits = SearchValues.Create("0123456789ABCDEF"u8);
    private static readonly char[] HexUpper = "0123456789ABCDEF".ToCharArray();

    private static int HexDigit(byte c) => c <= (byte)'9' ? c - '0' : c - 'A' + 10;
}
