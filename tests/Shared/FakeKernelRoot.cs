using System.Globalization;
using KmodGuard.Linux;

namespace KmodGuard.Tests.Shared;

/// <summary>
/// A temporary directory laid out like the parts of / that the inventory reads (proc/modules, sys/module/NAME/...,
/// proc/sys/kernel/{tainted,osrelease,random/boot_id}, lib/modules/RELEASE/modules.dep), in the kernel's formats.
/// </summary>
internal sealed class FakeKernelRoot : IDisposable
{
    public const string Release = "6.1.0-56-cloud-amd64";

    public FakeKernelRoot(string bootId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    {
        Root = Directory.CreateTempSubdirectory("kmodguard-root-").FullName;
        File("proc/sys/kernel/osrelease", Release + "\n");
        File("proc/sys/kernel/random/boot_id", bootId + "\n");
        Tainted(0);
    }

    public string Root { get; }

    public HostPaths Paths => new(Root);

    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public FakeKernelRoot File(string relative, string content)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return this;
    }

    public FakeKernelRoot ProcModules(string text) => File("proc/modules", text);

    public FakeKernelRoot Tainted(ulong value) => File("proc/sys/kernel/tainted", value.ToString(CultureInfo.InvariantCulture) + "\n");

    /// <summary>dev/kmsg as a text capture of the device (what the inventory reads under a fake root).</summary>
    public FakeKernelRoot KernelLog(string text) => File("dev/kmsg", text);

    /// <summary>The Debian guest's real /dev/kmsg capture (tests/fixtures/kernel-log).</summary>
    public FakeKernelRoot DebianKernelLog() => KernelLog(System.IO.File.ReadAllText(Path.Combine(FixturesDirectory, "kernel-log/debian-6.1.192-kmsg.txt")));

    public FakeKernelRoot ModulesDep(string text) => File($"lib/modules/{Release}/modules.dep", text);

    /// <summary>A loadable module's /sys/module directory, as the kernel creates it.</summary>
    public FakeKernelRoot SysModule(string name, string initstate = "live", int refcnt = 0, string taint = "", string? srcversion = null,
        string? version = null, string[]? holders = null, bool sections = true)
    {
        string dir = $"sys/module/{name}";
        File($"{dir}/initstate", initstate + "\n");
        File($"{dir}/refcnt", refcnt.ToString(CultureInfo.InvariantCulture) + "\n");
        File($"{dir}/taint", taint + "\n");
        File($"{dir}/coresize", "16384\n");
        Directory.CreateDirectory(Path.Combine(Root, dir, "holders"));
        foreach (string holder in holders ?? [])
        {
            Directory.CreateDirectory(Path.Combine(Root, dir, "holders", holder));
        }

        if (srcversion is not null)
        {
            File($"{dir}/srcversion", srcversion + "\n");
        }

        if (version is not null)
        {
            File($"{dir}/version", version + "\n");
        }

        if (sections)
        {
            File($"{dir}/sections/.text", "0xffffffffc02d5000\n");
        }

        return this;
    }

    /// <summary>A built-in module with parameters: a directory without initstate or refcnt.</summary>
    public FakeKernelRoot BuiltIn(string name) => File($"sys/module/{name}/parameters/debug", "N\n").File($"sys/module/{name}/uevent", "");

    /// <summary>
    /// The Debian 6.1.192 guest's real /proc/modules and /sys/module facts for dummy, bridge, stp and llc
    /// (tests/fixtures/inventory, recorded under qemu), plus two built-in module directories.
    /// </summary>
    public FakeKernelRoot DebianCapture()
    {
        ProcModules(System.IO.File.ReadAllText(Path.Combine(FixturesDirectory, "inventory/debian-6.1.192-proc-modules.txt")));
        var attributes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (string line in System.IO.File.ReadAllLines(Path.Combine(FixturesDirectory, "inventory/debian-6.1.192-sys-module.txt")))
        {
            // "stp/holders=bridge "
            int slash = line.IndexOf('/', StringComparison.Ordinal), eq = line.IndexOf('=', StringComparison.Ordinal);
            string module = line[..slash];
            if (!attributes.TryGetValue(module, out Dictionary<string, string>? a))
            {
                attributes[module] = a = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            a[line[(slash + 1)..eq]] = line[(eq + 1)..];
        }

        foreach ((string module, Dictionary<string, string> a) in attributes)
        {
            SysModule(module, a["initstate"], int.Parse(a["refcnt"], CultureInfo.InvariantCulture), a["taint"], a.GetValueOrDefault("srcversion"),
                a.GetValueOrDefault("version"), a["holders"].Split(' ', StringSplitOptions.RemoveEmptyEntries), sections: a["sections"] != "0");
        }

        return BuiltIn("8250").BuiltIn("printk")
            .ModulesDep("kernel/drivers/net/dummy.ko:\nkernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n" +
                "kernel/net/802/stp.ko: kernel/net/llc/llc.ko\nkernel/net/llc/llc.ko:\n");
    }
}
