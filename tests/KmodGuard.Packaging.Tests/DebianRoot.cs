namespace KmodGuard.Packaging.Tests;

/// <summary>
/// A Debian 12 root file system to install the .deb into: debootstrap's minbase plus systemd (installed, not running,
/// as in an image build or a chroot). debootstrap runs once; its result is cached as a tarball under
/// artifacts/debootstrap and unpacked afresh for each test class (a few seconds).
/// </summary>
public sealed class DebianRoot : IDisposable
{
    private const string Suite = "bookworm";
    private const string Mirror = "http://deb.debian.org/debian";
    private readonly Lazy<string> _path;

    public DebianRoot() => _path = new Lazy<string>(Unpack);

    /// <summary>The root directory (unpacked on first use).</summary>
    public string Path => _path.Value;

    public static string Cache => System.IO.Path.Combine(Repo.Artifacts, "debootstrap", $"{Suite}-minbase-systemd.tar.gz");

    public static void SkipUnlessUsable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs Linux");
        Skip.IfNot(Repo.IsRoot, "installing into a chroot needs root");
        Repo.SkipUnlessTool("debootstrap", "debootstrap");
        Repo.SkipUnlessTool("chroot", "coreutils");
    }

    /// <summary>Runs a command inside the root (chroot), with a plain environment.</summary>
    internal Repo.Result Chroot(params string[] command) => Repo.Run(Repo.Tool("chroot")!, [Path, .. command], environment: new Dictionary<string, string>
    {
        ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
        ["DEBIAN_FRONTEND"] = "noninteractive",
        ["LC_ALL"] = "C",
    });

    /// <summary>Every path in the root with its type, mode, owner and size (not times): what "nothing left behind" compares.</summary>
    public SortedSet<string> Snapshot()
    {
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path]);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            foreach (FileSystemInfo e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                string relative = "/" + System.IO.Path.GetRelativePath(Path, e.FullName);
                bool isDir = e is DirectoryInfo && e.LinkTarget is null;
                entries.Add($"{relative} {(e.LinkTarget is not null ? "l->" + e.LinkTarget : isDir ? "d" : "f")} {Convert.ToString((int)e.UnixFileMode, 8)} {(e is FileInfo f && e.LinkTarget is null ? f.Length : 0)}");
                if (isDir && relative is not ("/proc" or "/sys" or "/dev"))
                {
                    pending.Push(e.FullName);
                }
            }
        }

        return entries;
    }

    public void Dispose()
    {
        if (_path.IsValueCreated)
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(_path.Value)!, recursive: true);
        }
    }

    private static string Unpack()
    {
        if (!File.Exists(Cache))
        {
            Bootstrap();
        }

        string root = System.IO.Path.Combine(Directory.CreateTempSubdirectory("kg-debian-").FullName, "root");
        Directory.CreateDirectory(root);
        Repo.Result r = Repo.Run("tar", "-C", root, "--numeric-owner", "-xzf", Cache);
        Assert.True(r.ExitCode == 0, $"unpacking {Cache} failed: {r.All}");
        return root;
    }

    private static void Bootstrap()
    {
        string work = Directory.CreateTempSubdirectory("kg-debootstrap-").FullName;
        try
        {
            string root = System.IO.Path.Combine(work, "root");
            Repo.Result r = Repo.Run(Repo.Tool("debootstrap")!, ["--variant=minbase", "--include=systemd", Suite, root, Mirror], TimeSpan.FromMinutes(20));
            Assert.True(r.ExitCode == 0, $"debootstrap failed ({r.ExitCode}); it downloads from {Mirror}:\n{r.All}");
            // The downloaded .debs are not part of the system; leaving them out halves the cache.
            foreach (string deb in Directory.EnumerateFiles(System.IO.Path.Combine(root, "var", "cache", "apt", "archives"), "*.deb"))
            {
                File.Delete(deb);
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Cache)!);
            string partial = Cache + ".partial";
            r = Repo.Run("tar", "-C", root, "--numeric-owner", "-czf", partial, ".");
            Assert.True(r.ExitCode == 0, $"caching the root failed: {r.All}");
            File.Move(partial, Cache, overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
