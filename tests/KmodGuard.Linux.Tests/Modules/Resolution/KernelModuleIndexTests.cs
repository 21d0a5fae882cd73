using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Tests.Modules.Resolution;

public sealed class KernelModuleIndexTests : IDisposable
{
    private readonly FakeModuleTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("crc7", "crc7")]
    [InlineData("pci-pf-stub", "pci_pf_stub")]
    [InlineData("pci_pf_stub", "pci_pf_stub")]
    [InlineData("ematch-kind-3", "em_u32")]
    [InlineData("ematch_kind_3", "em_u32")]
    [InlineData("pci:v00001D0Fd00000053sv00001D0Fsd00000000bc02sc00i00", "pci_pf_stub")]
    [InlineData("symbol:crc7_be", "crc7")]
    public void Names_and_aliases_resolve_like_modprobe(string request, string module)
    {
        KernelModuleIndex index = KernelModuleIndex.Load(_tree.Directory);
        Assert.Equal([module], index.Resolve(request));
    }

    [Fact]
    public void An_alias_of_several_modules_gives_all_and_an_unknown_name_none()
    {
        KernelModuleIndex index = KernelModuleIndex.Load(_tree.Directory);
        Assert.Equal(["crc7", "cordic"], index.Resolve("net-pf-99"));
        Assert.Empty(index.Resolve("nosuchmodule"));
    }

    [Fact]
    public void Paths_and_dependencies_come_from_modules_dep()
    {
        KernelModuleIndex index = KernelModuleIndex.Load(_tree.Directory);
        Assert.Equal(_tree.PathOf("kernel/drivers/pci/pci-pf-stub.ko"), index.PathOf("pci-pf-stub"));
        Assert.Equal(["cordic", "crc7"], index.DependenciesOf("pci_pf_stub"));
        Assert.Null(index.PathOf("nosuchmodule"));
    }

    [Theory]
    [InlineData("kernel/lib/crc7.ko.xz", "crc7")]
    [InlineData("/abs/pci-pf-stub.ko.zst", "pci_pf_stub")]
    [InlineData("noext", "noext")]
    public void Module_names_come_from_file_names(string path, string name) => Assert.Equal(name, KernelModuleIndex.ModuleNameOf(path));

    [Fact]
    public void Dashes_inside_bracket_sets_are_kept() => Assert.Equal("a_b[x-z]_c", KernelModuleIndex.Normalize("a-b[x-z]-c"));

    [Fact]
    public void A_directory_without_modules_dep_throws_an_io_error() =>
        Assert.ThrowsAny<IOException>(() => KernelModuleIndex.Load(_tree.Root));
}
