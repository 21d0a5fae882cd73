using static KmodGuard.Linux.Tests.Modules.ModuleFixtures;

namespace KmodGuard.Linux.Tests.Modules.Resolution;

/// <summary>
/// A tiny /lib/modules/RELEASE tree in a temporary directory, with real signed modules and modules.dep /
/// modules.alias lines in depmod's format (pci-pf-stub depends on cordic and crc7 here, to test dependency loads).
/// </summary>
internal sealed class FakeModuleTree : IDisposable
{
    public const string Release = "6.1.0-test";

    public FakeModuleTree()
    {
        Root = System.IO.Directory.CreateTempSubdirectory("kmodguard-modules-").FullName;
        Add("kernel/lib/crc7.ko", Crc7);
        Add("kernel/lib/math/cordic.ko", Cordic);
        Add("kernel/drivers/pci/pci-pf-stub.ko", PciPfStub);
        Add("kernel/net/sched/em_u32.ko", EmU32);
        File.WriteAllText(Path.Combine(Directory, "modules.dep"),
            "kernel/lib/crc7.ko:\n" +
            "kernel/lib/math/cordic.ko:\n" +
            "kernel/drivers/pci/pci-pf-stub.ko: kernel/lib/math/cordic.ko kernel/lib/crc7.ko\n" +
            "kernel/net/sched/em_u32.ko:\n");
        File.WriteAllText(Path.Combine(Directory, "modules.alias"),
            "# Aliases extracted from modules themselves.\n" +
            "alias pci:v00001D0Fd00000053sv*sd*bc*sc*i* pci_pf_stub\n" +
            "alias ematch-kind-3 em_u32\n" +
            "alias net-pf-99 crc7\n" +
            "alias net-pf-99 cordic\n");
        File.WriteAllText(Path.Combine(Directory, "modules.symbols"), "alias symbol:crc7_be crc7\n");

        // A procfs root that only says which kernel is running.
        System.IO.Directory.CreateDirectory(Path.Combine(Root, "proc", "sys", "kernel"));
        File.WriteAllText(Path.Combine(Root, "proc", "sys", "kernel", "osrelease"), Release + "\n");
    }

    public string Root { get; }

    /// <summary>The modules root a resolver is configured with (what /lib/modules is on a real system).</summary>
    public string ModulesRoot => Path.Combine(Root, "lib", "modules");

    public string Directory => Path.Combine(ModulesRoot, Release);

    public string ProcRoot => Path.Combine(Root, "proc");

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);

    private void Add(string relative, string fixture)
    {
        string path = PathOf(relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(ModuleFixtures.PathOf(fixture), path);
    }
}
