using CsCheck;
using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.Tests.Modules.Resolution;

public class LoaderRequestTests
{
    [Theory]
    [InlineData("/sbin/insmod /lib/modules/6.1.0-56-amd64/kernel/drivers/net/dummy.ko", "/lib/modules/6.1.0-56-amd64/kernel/drivers/net/dummy.ko")]
    [InlineData("insmod -f -v ./x.ko numdummies=2", "./x.ko")]
    [InlineData("insmod -- -weird.ko", "-weird.ko")]
    [InlineData("busybox insmod /tmp/x.ko.xz", "/tmp/x.ko.xz")]
    [InlineData("/bin/busybox insmod x.ko", "x.ko")]
    public void Insmod_names_its_file(string commandLine, string path)
    {
        LoaderRequest r = LoaderRequest.Parse(commandLine.Split(' '))!;
        Assert.Equal(LoaderTool.Insmod, r.Tool);
        Assert.Equal([path], r.Targets);
    }

    [Theory]
    [InlineData("/sbin/modprobe dummy numdummies=1", "dummy", null, null)]
    [InlineData("modprobe -q -- net-pf-10", "net-pf-10", null, null)]
    [InlineData("modprobe -S 6.1.0-56-amd64 dummy", "dummy", "6.1.0-56-amd64", null)]
    [InlineData("modprobe -S6.1.0 -d /tmp/root dummy", "dummy", "6.1.0", "/tmp/root")]
    [InlineData("modprobe --set-version=6.1.0 --dirname /tmp/root dummy", "dummy", "6.1.0", "/tmp/root")]
    [InlineData("modprobe -qvS 6.1.0 dummy", "dummy", "6.1.0", null)]
    [InlineData("modprobe -C /etc/x.conf --first-time dummy", "dummy", null, null)]
    [InlineData("busybox modprobe dummy", "dummy", null, null)]
    public void Modprobe_names_a_module_with_its_version_and_root(string commandLine, string name, string? version, string? root)
    {
        LoaderRequest r = LoaderRequest.Parse(commandLine.Split(' '))!;
        Assert.Equal(LoaderTool.Modprobe, r.Tool);
        Assert.Equal([name], r.Targets);
        Assert.Equal(version, r.KernelVersion);
        Assert.Equal(root, r.RootDirectory);
    }

    [Fact]
    public void Modprobe_all_takes_every_name()
    {
        Assert.Equal(["a", "b-c", "d"], LoaderRequest.Parse(["modprobe", "-a", "a", "b-c", "d"])!.Targets);
        Assert.Equal(["a", "b"], LoaderRequest.Parse(["modprobe", "--all", "a", "b"])!.Targets);
    }

    [Theory]
    [InlineData("modprobe -r dummy")]
    [InlineData("modprobe --remove dummy")]
    [InlineData("modprobe -qr dummy")]
    [InlineData("modprobe -n -v dummy")]
    [InlineData("modprobe --show-depends dummy")]
    [InlineData("modprobe -R pci:v1")]
    [InlineData("modprobe -c")]
    [InlineData("modprobe")]
    [InlineData("insmod")]
    [InlineData("insmod -v")]
    [InlineData("rmmod dummy")]
    [InlineData("bash -c insmod")]
    [InlineData("kmod list")]
    public void Commands_that_load_nothing_give_no_request(string commandLine) =>
        Assert.Null(LoaderRequest.Parse(commandLine.Split(' ')));

    [Fact]
    public void No_or_empty_command_line_gives_no_request()
    {
        Assert.Null(LoaderRequest.Parse(null));
        Assert.Null(LoaderRequest.Parse([]));
    }

    [Fact]
    public void Hostile_command_lines_never_throw()
    {
        Gen.OneOf(Gen.Const("insmod"), Gen.Const("modprobe"), Gen.Const("busybox"), Gen.Const("kmod"), Gen.String)
            .SelectMany(tool => Gen.OneOf(Gen.Const("-"), Gen.Const("--"), Gen.Const("-S"), Gen.Const("-d"), Gen.Const("--dirname"), Gen.Const("-a"), Gen.Const("modprobe"), Gen.String).Array[0, 6]
                .Select(rest => (string[])[tool, .. rest]))
            .Sample(argv => { _ = LoaderRequest.Parse(argv); }, iter: 2000);
    }
}
