using System.Text;
using System.Text.RegularExpressions;

namespace KmodGuard.Core.Policy.Explain;

/// <summary>
/// The glob language written as regular expressions: a second, independent statement of its meaning,
/// used by <see cref="PolicyExplainer"/> and as the oracle the compiled matcher is tested against.
/// </summary>
internal static class GlobRegex
{
    internal static Regex Translate(string glob)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (glob[i] == '*')
            {
                sb.Append("[^/]*");
            }
            else if (glob[i] == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(glob[i].ToString()));
            }
        }

        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
