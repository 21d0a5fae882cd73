using System.Reflection;
using System.Runtime.InteropServices;

namespace KmodGuard.Tests.Shared.MacOS;

/// <summary>
/// Resolves the shim's library name ("kmodguard_es") to the Linux build of the shim against the ES test double,
/// artifacts/native/lib/libkmodguard_es_fake.so (built by ./build.sh).
/// </summary>
internal static class FakeShimLibrary
{
    private static readonly Lazy<string?> LibraryPath = new(Find);
    private static int _installed;

    /// <summary>Null when the native build has not run (or cannot run here): tests skip with that reason.</summary>
    public static string? Path => LibraryPath.Value;

    public const string MissingReason =
        "artifacts/native/lib/libkmodguard_es_fake.so is not built: run ./build.sh build (needs cmake, clang and libblocksruntime-dev)";

    /// <summary>Routes DllImports of "kmodguard_es" from the given assemblies to the fake library. Idempotent.</summary>
    public static void Install(params Assembly[] assemblies)
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1 || Path is not { } path)
        {
            return;
        }

        foreach (Assembly assembly in assemblies)
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) =>
                name == "kmodguard_es" ? NativeLibrary.Load(path) : 0);
        }
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "native", "lib", "libkmodguard_es_fake.so");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (dir.Name == "artifacts")
            {
                break;
            }
        }

        return null;
    }
}
