namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// Walks the <c>name=value</c> pairs of a record body without allocating. Values are a bare word, or quoted with
/// <c>"</c>, <c>'</c> (user-space <c>msg='...'</c>) or braces (<c>SADDR={ ... }</c>); an unclosed quote runs to the end.
/// Words without <c>=</c> (the free text of AVC records) are skipped.
/// </summary>
internal ref struct AuditFieldEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private AuditField _current;

    public AuditFieldEnumerator(ReadOnlySpan<byte> body)
    {
        _rest = body;
        _current = default;
    }

    public readonly AuditField Current => _current;

    public readonly AuditFieldEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        ReadOnlySpan<byte> rest = _rest;
        while (true)
        {
            int start = 0;
            while (start < rest.Length && rest[start] == (byte)' ')
            {
                start++;
            }

            rest = rest[start..];
            if (rest.IsEmpty)
            {
                _rest = rest;
                return false;
            }

            int nameEnd = rest.IndexOfAny((byte)'=', (byte)' ');
            if (nameEnd < 0 || rest[nameEnd] == (byte)' ' || nameEnd == 0)
            {
                // A bare word, or "=value" without a name: not a field.
                int skip = rest.IndexOf((byte)' ');
                rest = skip < 0 ? default : rest[skip..];
                continue;
            }

            ReadOnlySpan<byte> name = rest[..nameEnd];
            ReadOnlySpan<byte> value = rest[(nameEnd + 1)..];
            int valueLength = ValueLength(value);
            _current = new AuditField(name, value[..valueLength]);
            _rest = value[valueLength..];
            return true;
        }
    }

    /// <summary>The raw value of the first field called <paramref name="name"/>.</summary>
    public static bool TryFind(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> rawValue)
    {
        foreach (AuditField field in new AuditFieldEnumerator(body))
        {
            if (field.Name.SequenceEqual(name))
            {
                rawValue = field.RawValue;
                return true;
            }
        }

        rawValue = default;
        return false;
    }

    private static int ValueLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        byte close = value[0] switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\'' => (byte)'\'',
            (byte)'{' => (byte)'}',
            _ => 0,
        };
        if (close == 0)
        {
            int space = value.IndexOf((byte)' ');
            return space < 0 ? value.Length : space;
        }

        int end = value[1..].IndexOf(close);
        return end < 0 ? value.Length : end + 2;
    }
}
