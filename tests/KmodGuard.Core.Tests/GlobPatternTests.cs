using CsCheck;
using KmodGuard.Core.Policy.Explain;
using KmodGuard.Core.Policy.Glob;

namespace KmodGuard.Core.Tests;

public class GlobPatternTests
{
    [Theory]
    [InlineData("/tmp/**", "/tmp/x.ko", true)]
    [InlineData("/tmp/**", "/tmp/a/b/c.ko", true)]
    [InlineData("/tmp/**", "/tmp/", true)]
    [InlineData("/tmp/**", "/tmp", false)]
    [InlineData("/tmp/**", "/tmpfoo/x.ko", false)]
    [InlineData("/tmp/*", "/tmp/x.ko", true)]
    [InlineData("/tmp/*", "/tmp/a/x.ko", false)]
    [InlineData("/tmp/*.ko", "/tmp/.ko", true)]
    [InlineData("/tmp/*.ko", "/tmp/x.ko.xz", false)]
    [InlineData("/tmp/*.ko*", "/tmp/x.ko.xz", true)]
    [InlineData("/lib/**/crc7.ko", "/lib/crc7.ko", true)]
    [InlineData("/lib/**/crc7.ko", "/lib/modules/6.1/crc7.ko", true)]
    [InlineData("/lib/**/crc7.ko", "/lib/modules/6.1/xcrc7.ko", false)]
    [InlineData("**/x.ko", "x.ko", true)]
    [InlineData("**/x.ko", "/a/b/x.ko", true)]
    [InlineData("**/x.ko", "/a/b/yx.ko", false)]
    [InlineData("**", "", true)]
    [InlineData("**", "/any/thing", true)]
    [InlineData("*", "", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("reptile*", "reptile_module", true)]
    [InlineData("reptile*", "reptil", false)]
    [InlineData("*7", "crc7", true)]
    [InlineData("c?c7", "crc7", true)]
    [InlineData("c?c7", "cc7", false)]
    [InlineData("?", "/", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY/c", false)]
    [InlineData("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("diamorphine", "diamorphine", true)]
    [InlineData("diamorphine", "Diamorphine", false)]
    [InlineData("/home/*/x.ko", "/home/u/x.ko", true)]
    [InlineData("/home/*/x.ko", "/home//x.ko", true)]
    [InlineData("/a/**/b/**/c", "/a/b/c", true)]
    [InlineData("/a/**/b/**/c", "/a/x/y/b/z/c", true)]
    [InlineData("/a/**/b/**/c", "/a/x/y/z/c", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("name with space*", "name with space.ko", true)]
    public void Matches_like_the_documented_semantics(string pattern, string value, bool expected)
    {
        Assert.True(GlobPattern.TryParse(pattern, out GlobPattern? glob, out string? error), error);
        Assert.Equal(expected, glob.IsMatch(value));
        Assert.Equal(expected, GlobRegex.Translate(pattern).IsMatch(value));
    }

    [Theory]
    [InlineData("", "empty pattern")]
    [InlineData("/tmp/a**", "whole path segment")]
    [InlineData("**a", "whole path segment")]
    [InlineData("/x/***/y", "use '*' or '**'")]
    [InlineData("/tmp/[ab].ko", "character classes")]
    [InlineData("{a,b}", "braces")]
    public void Rejects_bad_patterns_with_a_reason(string pattern, string reason)
    {
        Assert.False(GlobPattern.TryParse(pattern, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Literal_prefix_is_the_text_before_the_first_wildcard()
    {
        Assert.True(GlobPattern.TryParse("/opt/vendor/**/x*.ko", out GlobPattern? g, out _));
        Assert.Equal("/opt/vendor/", g.LiteralPrefix);
        Assert.False(g.IsLiteral);
        Assert.True(GlobPattern.TryParse("exact", out GlobPattern? e, out _));
        Assert.True(e.IsLiteral);
    }

    [Fact]
    public void Long_values_are_matched_without_stack_exhaustion()
    {
        string value = "/" + string.Join('/', Enumerable.Repeat("segment", 2000)) + "/x.ko";
        Assert.True(GlobPattern.TryParse("/**/x.ko", out GlobPattern? g, out _));
        Assert.True(g.IsMatch(value));
    }

    [Fact]
    public void Compiled_matcher_agrees_with_the_regular_expression_oracle()
    {
        Gen<string> piece = Gen.OneOf("a", "b", "/", "*", "**", "?", ".ko", "x");
        Gen<string> pattern = piece.Array[1, 7].Select(p => string.Concat(p));
        Gen<string> value = Gen.OneOf("a", "b", "/", ".ko", "x", "ab").Array[0, 8].Select(p => string.Concat(p));
        Gen.Select(pattern, value).Sample((p, v) =>
        {
            if (!GlobPattern.TryParse(p, out GlobPattern? glob, out _))
            {
                return true;
            }

            return glob.IsMatch(v) == GlobRegex.Translate(p).IsMatch(v);
        }, iter: 20_000);
    }
}
