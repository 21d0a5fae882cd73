using System.Text.RegularExpressions;
using CsCheck;
using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Tests.Modules.Resolution;

public class AliasPatternTests
{
    [Theory]
    [InlineData("pci:v00001D0Fd00000053sv*sd*bc*sc*i*", "pci:v00001D0Fd00000053sv00001D0Fsd00000000bc02sc00i00", true)]
    [InlineData("pci:v00001D0Fd00000053sv*sd*bc*sc*i*", "pci:v00008086d00000053sv0sd0bc0sc0i0", false)]
    [InlineData("acpi*:PNP0A0[38]:*", "acpi:PNP0A08:", true)]
    [InlineData("acpi*:PNP0A0[38]:*", "acpi:PNP0A03:x", true)]
    [InlineData("acpi*:PNP0A0[38]:*", "acpi:PNP0A05:", false)]
    [InlineData("usb:v*p*d*dc*dsc*dp*ic0[0-2]*", "usb:v1p2d3dc4dsc5dp6ic01isc", true)]
    [InlineData("x[!a-c]y", "xdy", true)]
    [InlineData("x[!a-c]y", "xby", false)]
    [InlineData("x[^a]y", "xby", true)]
    [InlineData("x[]]y", "x]y", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("net_pf_10", "net_pf_10", true)]
    [InlineData("*", "", true)]
    [InlineData("a*", "", false)]
    [InlineData("[", "[", true)]
    [InlineData("ab[", "ab[", true)]
    [InlineData("a[b", "a[b", true)]
    public void Matches_like_fnmatch(string pattern, string text, bool matches) =>
        Assert.Equal(matches, AliasPattern.Matches(pattern, text));

    [Fact]
    public void Agrees_with_a_regex_translation_on_star_and_question_patterns()
    {
        Gen.Select(Gen.OneOf(Gen.Const('a'), Gen.Const('b'), Gen.Const('*'), Gen.Const('?')).Array[0, 8], Gen.OneOf(Gen.Const('a'), Gen.Const('b')).Array[0, 10])
            .Sample((p, t) =>
            {
                string pattern = new(p), text = new(t);
                string regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
                Assert.Equal(Regex.IsMatch(text, regex, RegexOptions.Singleline), AliasPattern.Matches(pattern, text));
            }, iter: 3000);
    }

    [Fact]
    public void Hostile_patterns_never_throw()
    {
        Gen<string> brackety = Gen.Char["[]!^-*?ab"].Array[0, 12].Select(c => new string(c));
        Gen.Select(Gen.OneOf(Gen.String, brackety), Gen.OneOf(Gen.String, brackety)).Sample((p, t) => { _ = AliasPattern.Matches(p, t); }, iter: 5000);
    }
}
