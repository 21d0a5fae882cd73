using System.Text.RegularExpressions;
using KmodGuard.Core.Policy;

namespace KmodGuard.Core.Tests;

/// <summary>Every complete policy shown in docs/policy.md loads, and the default policy shown there is the embedded one.</summary>
public partial class PolicyDocumentationTests
{
    private static string Doc() => File.ReadAllText(Path.Combine(RepoRoot(), "docs", "policy.md"));

    private static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KmodGuard.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [GeneratedRegex("```(?:yaml|json)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void Every_complete_example_policy_loads()
    {
        var examples = CodeBlock().Matches(Doc()).Select(m => m.Groups[1].Value)
            .Where(b => b.StartsWith("version: 1", StringComparison.Ordinal) || b.StartsWith("{\"version\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(examples.Count >= 5);
        foreach (string example in examples)
        {
            PolicyLoader.Load(example, "docs/policy.md");
        }
    }

    [Fact]
    public void Documented_default_policy_is_the_embedded_one()
    {
        string documented = CodeBlock().Matches(Doc()).Select(m => m.Groups[1].Value)
            .Single(b => b.Contains("id: alert-unexpected-unloader", StringComparison.Ordinal) && b.StartsWith("version: 1", StringComparison.Ordinal));
        string embedded = string.Join('\n', DefaultPolicy.Text.Split('\n').Where(l => !l.StartsWith('#') && l.Trim().Length > 0));
        string shown = string.Join('\n', documented.Split('\n').Where(l => l.Trim().Length > 0));
        Assert.Equal(embedded, shown);
    }
}
