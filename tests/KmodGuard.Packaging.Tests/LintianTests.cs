namespace KmodGuard.Packaging.Tests;

[Collection(PackagesCollection.Name)]
public sealed class LintianTests(Packages packages)
{
    [SkippableFact]
    public void Lintian_finds_no_errors_in_the_deb()
    {
        Repo.SkipUnlessTool("lintian", "lintian");
        Repo.Result r = Repo.Run("lintian", "--tag-display-limit", "0", packages.Deb);
        string[] errors = r.Out.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal)).ToArray();
        Assert.True(errors.Length == 0, string.Join('\n', errors));
    }
}
