namespace KmodGuard.Tests.Shared;

/// <summary>
/// A copy of a build output directory that any user can read and run, for tests that start the agent as nobody:
/// the clone itself may sit below a directory only root can enter (mktemp -d makes 0700), which would make the
/// runtime abort before the agent's own checks run. Deleted on Dispose.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class CopyForOtherUsers : IDisposable
{
    private const UnixFileMode Open = (UnixFileMode)0x1ed; // 0755

    public CopyForOtherUsers(string sourceDirectory)
    {
        Path = Directory.CreateTempSubdirectory("kmodguard-bin-").FullName;
        File.SetUnixFileMode(Path, Open);
        foreach (string file in Directory.EnumerateFiles(sourceDirectory, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(sourceDirectory, file));
            string directory = System.IO.Path.GetDirectoryName(target)!;
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, Open);
            }

            File.Copy(file, target);
            File.SetUnixFileMode(target, Open);
        }
    }

    public string Path { get; }

    /// <summary>The copy of a file of the source directory.</summary>
    public string Of(string fileName) => System.IO.Path.Combine(Path, fileName);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
