namespace KmodGuard.Linux.Tests;

/// <summary>Finds the native test programs that build.sh builds under artifacts/native.</summary>
internal static class NativeTools
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModTest => Path.Combine(RepoRoot, "artifacts", "native", "linux", "kmodguard-modtest");

    public static void SkipUnlessBuilt(string path) =>
        Skip.IfNot(File.Exists(path), $"{Path.GetFileName(path)} is not built: run ./build.sh build (needs cmake and clang)");

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KmodGuard.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (KmodGuard.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program and returns its exit code and standard output.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        (int status, string output, _) = Audit.TestEnvironment.Run(file, args);
        return (status, output);
    }
}
