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
        // Names are a few bytes: a plain loop beats a vectorized search there. Values (hex proctitles, paths) can be
        // long, so ValueEnd searches for their end.
        ReadOnlySpan<byte> rest = _rest;
        int i = 0;
        while (true)
        {
            while (i < rest.Length && rest[i] == (byte)' ')
            {
                i++;
            }

            if (i == rest.Length)
            {
                _rest = default;
                return false;
            }

            int nameStart = i;
            while (i < rest.Length && rest[i] != (byte)'=' && rest[i] != (byte)' ')
            {
                i++;
            }

            if (i == rest.Length || rest[i] == (byte)' ' || i == nameStart)
            {
                // A bare word, or "=value" without a name: not a field.
                while (i < rest.Length && rest[i] != (byte)' ')
                {
                    i++;
                }

                continue;
            }

            int valueStart = i + 1;
            int valueEnd = ValueEnd(rest, valueStart);
            _current = new AuditField(rest[nameStart..i], rest[valueStart..valueEnd]);
            _rest = rest[valueEnd..];
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

    /// <summary>Where the value starting at <paramref name="start"/> ends: after its closing quote or brace, else at a space.</summary>
    private static int ValueEnd(ReadOnlySpan<byte> text, int start)
    {
        if (start == text.Length)
        {
            return start;
        }

        byte close = text[start] switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\'' => (byte)'\'',
            (byte)'{' => (byte)'}',
            _ => 0,
        };
        if (close == 0)
        {
            int space = text[start..].IndexOf((byte)' ');
            return space < 0 ? text.Length : start + space;
        }

        int end = text[(start + 1)..].IndexOf(close);
        return end < 0 ? text.Length : start + end + 2;
    }
}
