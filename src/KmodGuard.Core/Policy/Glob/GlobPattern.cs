using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace KmodGuard.Core.Policy.Glob;

/// <summary>
/// A compiled glob: <c>*</c> matches within one path segment, <c>**</c> (a whole segment) across segments,
/// <c>?</c> one character other than '/'. A pattern without wildcards is an exact string.
/// Matching runs a small dynamic program over the value (O(tokens × length)) on the stack: no backtracking
/// blow-up and no allocation.
/// </summary>
internal sealed class GlobPattern
{
    private enum TokenKind : byte
    {
        Literal,
        Star,
        DoubleStar,

        /// <summary><c>**/</c>: zero or more whole segments.</summary>
        DoubleStarSlash,
        Question,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private const int StackLimit = 1024;

    private readonly Token[] _tokens;

    /// <summary>Shape used for the fast paths: exact, "prefix**", or general.</summary>
    private readonly bool _isPrefixDoubleStar;

    private GlobPattern(string pattern, Token[] tokens)
    {
        Pattern = pattern;
        _tokens = tokens;
        IsLiteral = tokens.Length == 1 && tokens[0].Kind == TokenKind.Literal;
        LiteralPrefix = tokens.Length > 0 && tokens[0].Kind == TokenKind.Literal ? tokens[0].Text : string.Empty;
        _isPrefixDoubleStar = tokens.Length == 2 && tokens[0].Kind == TokenKind.Literal && tokens[1].Kind == TokenKind.DoubleStar;
    }

    public string Pattern { get; }

    /// <summary>True when the pattern has no wildcard and matches only itself.</summary>
    public bool IsLiteral { get; }

    /// <summary>The text every match starts with (empty when the pattern starts with a wildcard).</summary>
    public string LiteralPrefix { get; }

    public static bool HasWildcard(string text) => text.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool TryParse(string pattern, [NotNullWhen(true)] out GlobPattern? glob, [NotNullWhen(false)] out string? error)
    {
        glob = null;
        if (pattern.Length == 0)
        {
            error = "empty pattern";
            return false;
        }

        int bad = pattern.AsSpan().IndexOfAny("[]{}");
        if (bad >= 0)
        {
            error = $"'{pattern[bad]}' at offset {bad} of \"{pattern}\": character classes and braces are not supported (use '?' or '*', or list the alternatives)";
            return false;
        }

        var tokens = new List<Token>();
        var literal = new System.Text.StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '?')
            {
                Flush();
                tokens.Add(new Token(TokenKind.Question, "?"));
            }
            else if (c == '*')
            {
                int run = 1;
                while (i + run < pattern.Length && pattern[i + run] == '*')
                {
                    run++;
                }

                if (run > 2)
                {
                    error = $"'{new string('*', run)}' at offset {i} of \"{pattern}\": use '*' or '**'";
                    return false;
                }

                if (run == 1)
                {
                    Flush();
                    tokens.Add(new Token(TokenKind.Star, "*"));
                    continue;
                }

                bool startsSegment = i == 0 || pattern[i - 1] == '/';
                int after = i + 2;
                bool endsSegment = after == pattern.Length || pattern[after] == '/';
                if (!startsSegment || !endsSegment)
                {
                    error = $"'**' at offset {i} of \"{pattern}\" must be a whole path segment (use '*' within a segment)";
                    return false;
                }

                Flush();
                if (after < pattern.Length)
                {
                    tokens.Add(new Token(TokenKind.DoubleStarSlash, "**/"));
                    i = after; // the '/' belongs to the token
                }
                else
                {
                    tokens.Add(new Token(TokenKind.DoubleStar, "**"));
                    i = after - 1;
                }
            }
            else
            {
                literal.Append(c);
            }
        }

        Flush();
        glob = new GlobPattern(pattern, [.. tokens]);
        error = null;
        return true;

        void Flush()
        {
            if (literal.Length > 0)
            {
                tokens.Add(new Token(TokenKind.Literal, literal.ToString()));
                literal.Clear();
            }
        }
    }

    public bool IsMatch(ReadOnlySpan<char> value)
    {
        if (IsLiteral)
        {
            return value.SequenceEqual(_tokens[0].Text);
        }

        if (_isPrefixDoubleStar)
        {
            return value.StartsWith(_tokens[0].Text, StringComparison.Ordinal);
        }

        int n = value.Length + 1;
        bool[]? rented = null;
        Span<bool> rows = n * 2 <= StackLimit ? stackalloc bool[n * 2] : (rented = ArrayPool<bool>.Shared.Rent(n * 2));
        try
        {
            return Run(value, rows[..n], rows.Slice(n, n));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<bool>.Shared.Return(rented);
            }
        }
    }

    private bool Run(ReadOnlySpan<char> value, Span<bool> cur, Span<bool> next)
    {
        cur.Clear();
        cur[0] = true;
        int n = value.Length;
        foreach (Token token in _tokens)
        {
            next.Clear();
            bool any = false;
            switch (token.Kind)
            {
                case TokenKind.Literal:
                {
                    string text = token.Text;
                    for (int j = 0; j + text.Length <= n; j++)
                    {
                        if (cur[j] && value.Slice(j, text.Length).SequenceEqual(text))
                        {
                            next[j + text.Length] = true;
                            any = true;
                        }
                    }

                    break;
                }

                case TokenKind.Question:
                    for (int j = 0; j < n; j++)
                    {
                        if (cur[j] && value[j] != '/')
                        {
                            next[j + 1] = true;
                            any = true;
                        }
                    }

                    break;
                case TokenKind.Star:
                {
                    bool reach = false;
                    for (int j = 0; j <= n; j++)
                    {
                        reach |= cur[j];
                        next[j] = reach;
                        any |= reach;
                        if (j < n && value[j] == '/')
                        {
                            reach = false;
                        }
                    }

                    break;
                }

                case TokenKind.DoubleStar:
                {
                    bool reach = false;
                    for (int j = 0; j <= n; j++)
                    {
                        reach |= cur[j];
                        next[j] = reach;
                    }

                    any = reach;
                    break;
                }

                case TokenKind.DoubleStarSlash:
                {
                    bool before = false;
                    for (int j = 0; j <= n; j++)
                    {
                        bool m = cur[j] || (before && j > 0 && value[j - 1] == '/');
                        next[j] = m;
                        any |= m;
                        before |= cur[j];
                    }

                    break;
                }
            }

            if (!any)
            {
                return false;
            }

            Span<bool> swap = cur;
            cur = next;
            next = swap;
        }

        return cur[n];
    }

    public override string ToString() => Pattern;
}
