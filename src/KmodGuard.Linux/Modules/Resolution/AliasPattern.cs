namespace KmodGuard.Linux.Modules.Resolution;

/// <summary>
/// fnmatch(3) without flags, as kmod matches modules.alias patterns (e.g. <c>pci:v00008086d*sv*sd*bc*sc*i*</c>,
/// <c>acpi*:PNP0A0[38]:*</c>): <c>*</c>, <c>?</c> and bracket sets with ranges and <c>!</c>/<c>^</c> negation.
/// </summary>
internal static class AliasPattern
{
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
            }
            else if (starP >= 0)
            {
                // Backtrack: let the last star swallow one more character.
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one pattern element (a literal, ?, or a [set]) against c, advancing p past it on success.</summary>
    private static bool MatchOne(string pattern, ref int p, char c)
    {
        if (pattern[p] == '?')
        {
            p++;
            return true;
        }

        if (pattern[p] != '[' || p + 2 >= pattern.Length || pattern.IndexOf(']', p + 2) < 0)
        {
            bool same = pattern[p] == c;
            p += same ? 1 : 0;
            return same;
        }

        int i = p + 1;
        bool negate = pattern[i] is '!' or '^';
        i += negate ? 1 : 0;
        bool found = false;
        bool firstInSet = true;
        for (; i < pattern.Length && (pattern[i] != ']' || firstInSet); i++, firstInSet = false)
        {
            if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
            {
                found |= c >= pattern[i] && c <= pattern[i + 2];
                i += 2;
            }
            else
            {
                found |= pattern[i] == c;
            }
        }

        if (i >= pattern.Length || found == negate)
        {
            return false;
        }

        p = i + 1;
        return true;
    }
}
