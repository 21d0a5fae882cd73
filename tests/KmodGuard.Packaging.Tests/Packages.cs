namespace KmodGuard.Packaging.Tests;

/// <summary>
/// Runs <c>./build.sh package</c> once for the test run (the NativeAOT publish is incremental) and hands out the
/// .deb, the .rpm and the staged file tree. A failed build fails every test that needs it, with the build's output.
/// </summary>
public sealed class Packages
{
    private readonly Lazy<(string? Deb, string? Rpm, string? Failure)> _built = new(Build);

    public string Deb => Path.Combine(Repo.Artifacts, "packages", Require().Deb!);

    public string Rpm => Path.Combine(Repo.Artifacts, "packages", Require().Rpm!);

    /// <summary>The file tree both packages ship (the .deb's layout).</summary>
    public string Stage => Path.Combine(Path.GetDirectoryName(Deb)!, "stage");

    /// <summary>The agent as packaged (/usr/lib/kmodguard/kmodguard, beside the native libraries it loads).</summary>
    public string Binary => Path.Combine(Stage, "usr", "lib", "kmodguard", "kmodguard");

    private (string? Deb, string? Rpm, string? Failure) Require()
    {
        Repo.SkipUnlessTool("dpkg-deb", "dpkg");
        Repo.SkipUnlessTool("rpmbuild", "rpm");
        Repo.SkipUnlessTool("dpkg-shlibdeps", "dpkg-dev");
        Repo.SkipUnlessTool("strip", "binutils");
        (string? deb, string? rpm, string? failure) = _built.Value;
        Assert.True(failure is null, failure);
        return (deb, rpm, null);
    }

    private static (string?, string?, string?) Build()
    {
        Repo.Result r = Repo.Run("/bin/bash", Path.Combine(Repo.Root, "build.sh"), "package");
        if (r.ExitCode != 0)
        {
            return (null, null, $"./build.sh package failed ({r.ExitCode}):\n{r.All}");
        }

        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (Path.GetFileName(lines.Single(l => l.EndsWith(".deb", StringComparison.Ordinal))),
            Path.GetFileName(lines.Single(l => l.EndsWith(".rpm", StringComparison.Ordinal))), null);
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<Packages>
{
    public const string Name = "packages";
}
