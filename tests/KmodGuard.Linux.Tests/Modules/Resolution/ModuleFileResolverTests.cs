using System.Globalization;
using System.Security.Cryptography;
using KmodGuard.Linux.Modules.Resolution;
using KmodGuard.Linux.Processes;
using KmodGuard.Linux.Tests.Processes;
using static KmodGuard.Linux.Tests.Modules.ModuleActivities;
using static KmodGuard.Linux.Tests.Modules.ModuleFixtures;

namespace KmodGuard.Linux.Tests.Modules.Resolution;

/// <summary>Finding the loaded file: real processes holding descriptors, and modprobe lookups in a fake module tree.</summary>
public sealed class ModuleFileResolverTests : IDisposable
{
    private readonly FakeModuleTree _tree = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("kmodguard-resolve-").FullName;

    public void Dispose()
    {
        _tree.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ModuleFileResolver Resolver(ProcFileSystem? proc = null) => new(proc ?? ProcFileSystem.Host, _tree.ModulesRoot);

    private string Copy(string fixture, string name)
    {
        string path = Path.Combine(_dir, name);
        File.Copy(PathOf(fixture), path);
        return path;
    }

    private static string Sha256(ModuleFileLocation l)
    {
        using var s = new FileStream(l.File!, FileAccess.Read);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    [Fact]
    public void Finit_module_reads_the_loaders_descriptor()
    {
        string path = Copy(Crc7, "crc7.ko");
        (ChildProcess child, int pid) = ChildProcess.HoldingFd3(path);
        using (child)
        using (ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "sleep")))
        {
            Assert.Equal(path, l.Path);
            Assert.Equal(ModuleFileSource.Descriptor, l.Source);
            Assert.False(l.Deleted);
            Assert.Equal("53573125af25e0952542b6a7f680c66f821b89b90090ec47695c4c880eeac642", Sha256(l));
        }
    }

    [Fact]
    public void A_file_deleted_after_the_load_is_still_read_and_its_path_reported_without_the_suffix()
    {
        string path = Copy(Crc7, "deleted me.ko");
        (ChildProcess child, int pid) = ChildProcess.HoldingFd3(path);
        using (child)
        {
            File.Delete(path);
            using ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "sleep"));
            Assert.Equal(path, l.Path);
            Assert.True(l.Deleted);
            Assert.Equal("53573125af25e0952542b6a7f680c66f821b89b90090ec47695c4c880eeac642", Sha256(l));
        }
    }

    [Fact]
    public void A_file_really_named_deleted_is_not_taken_for_a_deleted_one()
    {
        string path = Copy(Crc7, "x.ko (deleted)");
        (ChildProcess child, int pid) = ChildProcess.HoldingFd3(path);
        using (child)
        using (ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "sleep")))
        {
            Assert.Equal(path, l.Path);
            Assert.False(l.Deleted);
        }
    }

    [SkippableFact]
    public void A_file_in_another_mount_namespace_is_read_through_the_descriptor()
    {
        string mountPoint = Directory.CreateDirectory(Path.Combine(_dir, "mnt")).FullName;
        using ChildProcess child = ChildProcess.Start(
            $"unshare --mount sh -c \"mount -t tmpfs none '{mountPoint}' && cp '{PathOf(Crc7Xz)}' '{mountPoint}/hidden.ko.xz' && exec 3< '{mountPoint}/hidden.ko.xz' && echo ready && exec sleep 30\" 2>&1");
        string first = child.ReadLine();
        Skip.If(first != "ready", $"cannot mount in a new mount namespace here: {first}");
        int pid = ContainerDetectorTests.SleepingDescendant(child.ShellPid);
        Assert.False(File.Exists(Path.Combine(mountPoint, "hidden.ko.xz")), "the file must exist only in the child's namespace");

        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "sleep"));
        Assert.Equal(Path.Combine(mountPoint, "hidden.ko.xz"), l.Path);
        Assert.Equal("da26b2e08ecfedfadbfd81b3e76cc597c9d3f607001195fa99344315d796d479", Sha256(l));
    }

    [SkippableFact]
    public void An_insmod_path_in_another_mount_namespace_is_opened_in_the_loaders_root()
    {
        string mountPoint = Directory.CreateDirectory(Path.Combine(_dir, "mnt2")).FullName;
        using ChildProcess child = ChildProcess.Start(
            $"unshare --mount sh -c \"mount -t tmpfs none '{mountPoint}' && cp '{PathOf(Crc7)}' '{mountPoint}/x.ko' && echo ready && exec sleep 30\" 2>&1");
        string first = child.ReadLine();
        Skip.If(first != "ready", $"cannot mount in a new mount namespace here: {first}");
        int pid = ContainerDetectorTests.SleepingDescendant(child.ShellPid);

        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 99, comm: "sleep", argv: ["insmod", $"{mountPoint}/x.ko"]));
        Assert.Equal(ModuleFileSource.InsmodArgument, l.Source);
        Assert.Equal($"{mountPoint}/x.ko", l.Path);
        Assert.Equal("53573125af25e0952542b6a7f680c66f821b89b90090ec47695c4c880eeac642", Sha256(l));
    }

    [SkippableFact]
    public void A_memfd_load_is_found_and_named_as_the_kernel_names_it()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "needs python3 to create a memfd");
        using ChildProcess child = ChildProcess.Start(
            $"exec python3 -c \"import os,sys,time; fd=os.memfd_create('evil'); os.write(fd, open('{PathOf(Crc7)}','rb').read()); os.dup2(fd, 3); print(os.getpid(), flush=True); time.sleep(30)\"");
        int pid = int.Parse(child.ReadLine(), CultureInfo.InvariantCulture);

        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "python3"));
        Assert.Equal("/memfd:evil", l.Path);
        Assert.True(l.Deleted);
        Assert.Equal("53573125af25e0952542b6a7f680c66f821b89b90090ec47695c4c880eeac642", Sha256(l));
    }

    [Fact]
    public void A_pipe_descriptor_is_not_a_file()
    {
        using ChildProcess child = ChildProcess.Start("exec 3<&0; echo $$; exec sleep 30");
        int pid = child.ReadPidOfSleep();
        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "sleep"));
        Assert.Null(l.File);
        Assert.Matches($"^fd 3 of pid {pid} is not a file \\(pipe:\\[\\d+\\]\\); the loader's command line is unknown$", l.UnresolvedReason);
    }

    [Fact]
    public void A_reused_pid_is_not_trusted_for_its_descriptors()
    {
        string path = Copy(Crc7, "crc7.ko");
        (ChildProcess child, int pid) = ChildProcess.HoldingFd3(path);
        using (child)
        using (ModuleFileLocation l = Resolver().Locate(Load("finit_module", pid, a0: 3, comm: "insmod")))
        {
            Assert.Null(l.File);
            Assert.StartsWith($"pid {pid} is now another process (sleep)", l.UnresolvedReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void When_the_loader_has_exited_its_insmod_argument_is_used()
    {
        string path = Copy(Crc7, "crc7.ko");
        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", 999_999, a0: 3, comm: "insmod", argv: ["/sbin/insmod", path]));
        Assert.Equal(path, l.Path);
        Assert.Equal(ModuleFileSource.InsmodArgument, l.Source);
        Assert.NotNull(l.File);
    }

    [Fact]
    public void A_relative_insmod_path_is_taken_from_the_loaders_working_directory()
    {
        Copy(Crc7, "crc7.ko");
        using ModuleFileLocation l = Resolver().Locate(Load("finit_module", null, argv: ["insmod", "./crc7.ko"], cwd: _dir));
        Assert.Equal(Path.Combine(_dir, "crc7.ko"), l.Path);
    }

    [Fact]
    public void Unresolvable_command_lines_say_why()
    {
        using ModuleFileLocation relative = Resolver().Locate(Load("finit_module", null, argv: ["insmod", "x.ko"]));
        Assert.Equal("insmod was given the relative path 'x.ko' and its working directory is unknown", relative.UnresolvedReason);

        using ModuleFileLocation missing = Resolver().Locate(Load("finit_module", 999_999, a0: 3, comm: "insmod", argv: ["insmod", "/nonexistent/x.ko"]));
        Assert.Equal("fd 3 of pid 999999 is gone (the loader exited); /nonexistent/x.ko: No such file or directory", missing.UnresolvedReason);

        using ModuleFileLocation unknown = Resolver().Locate(Load("finit_module", null));
        Assert.Equal("the loader's command line is unknown", unknown.UnresolvedReason);

        using ModuleFileLocation other = Resolver().Locate(Load("finit_module", null, argv: ["/tmp/evil-loader", "x.ko"]));
        Assert.Equal("the loader is not insmod or modprobe", other.UnresolvedReason);
    }

    [Fact]
    public void Init_module_without_a_named_file_has_none_and_says_so()
    {
        using ModuleFileLocation l = Resolver().Locate(Load("init_module", Environment.ProcessId, argv: ["/bin/loader"]));
        Assert.Null(l.File);
        Assert.Null(l.Path);
        Assert.Equal("init_module loads the module from a memory buffer: the kernel was given no file", l.UnresolvedReason);
    }

    [Fact]
    public void Init_module_by_a_tool_that_names_its_file_is_judged_on_that_file()
    {
        // busybox insmod falls back to init_module with the file's bytes when finit_module is refused.
        using ModuleFileLocation l = Resolver().Locate(Load("init_module", Environment.ProcessId, argv: ["insmod", PathOf(Crc7)]));
        Assert.Equal(PathOf(Crc7), l.Path);
        Assert.NotNull(l.File);
        Assert.Equal(ModuleFileSource.InsmodArgument, l.Source);
    }

    [Theory]
    [InlineData("pci-pf-stub", "pci_pf_stub", "kernel/drivers/pci/pci-pf-stub.ko")]
    [InlineData("pci-pf-stub", "crc7", "kernel/lib/crc7.ko")]
    [InlineData("ematch-kind-3", null, "kernel/net/sched/em_u32.ko")]
    [InlineData("pci:v00001D0Fd00000053sv00001D0Fsd00000000bc02sc00i00", "pci_pf_stub", "kernel/drivers/pci/pci-pf-stub.ko")]
    [InlineData("net-pf-99", "cordic", "kernel/lib/math/cordic.ko")]
    public void Modprobe_resolves_the_name_the_kernel_loaded_through_modules_dep_and_alias(string request, string? kernelName, string file)
    {
        using ModuleFileLocation l = Resolver(new ProcFileSystem(_tree.ProcRoot))
            .Locate(Load("finit_module", null, module: kernelName, argv: ["/sbin/modprobe", "-q", "--", request]));
        Assert.Equal(_tree.PathOf(file), l.Path);
        Assert.Equal(ModuleFileSource.ModprobeLookup, l.Source);
    }

    [Fact]
    public void Modprobe_set_version_and_dirname_choose_the_tree()
    {
        using ModuleFileLocation byVersion = Resolver().Locate(Load("finit_module", null, argv: ["modprobe", "-S", FakeModuleTree.Release, "crc7"]));
        Assert.Equal(_tree.PathOf("kernel/lib/crc7.ko"), byVersion.Path);

        using ModuleFileLocation byRoot = new ModuleFileResolver(ProcFileSystem.Host, "/nonexistent")
            .Locate(Load("finit_module", null, argv: ["modprobe", "-d", _tree.Root, "-S", FakeModuleTree.Release, "crc7"]));
        Assert.Equal(_tree.PathOf("kernel/lib/crc7.ko"), byRoot.Path);
    }

    [Fact]
    public void Ambiguous_and_unknown_modprobe_names_say_why()
    {
        ModuleFileResolver resolver = Resolver(new ProcFileSystem(_tree.ProcRoot));
        using ModuleFileLocation ambiguous = resolver.Locate(Load("finit_module", null, argv: ["modprobe", "net-pf-99"]));
        Assert.Equal($"modprobe net-pf-99: matches 2 modules in {_tree.Directory} (crc7, cordic)", ambiguous.UnresolvedReason);

        using ModuleFileLocation unknown = resolver.Locate(Load("finit_module", null, argv: ["modprobe", "nosuch"]));
        Assert.Equal($"modprobe nosuch: no matching module in {_tree.Directory}", unknown.UnresolvedReason);

        using ModuleFileLocation noTree = resolver.Locate(Load("finit_module", null, argv: ["modprobe", "-S", "9.9.9", "crc7"]));
        Assert.StartsWith($"cannot read {Path.Combine(_tree.ModulesRoot, "9.9.9")}/modules.dep", noTree.UnresolvedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rewritten_modules_dep_is_read_again()
    {
        ModuleFileResolver resolver = Resolver(new ProcFileSystem(_tree.ProcRoot));
        using (ModuleFileLocation before = resolver.Locate(Load("finit_module", null, argv: ["modprobe", "crc7"])))
        {
            Assert.NotNull(before.File);
        }

        File.WriteAllText(Path.Combine(_tree.Directory, "modules.dep"), "kernel/lib/math/cordic.ko:\n");
        File.SetLastWriteTimeUtc(Path.Combine(_tree.Directory, "modules.dep"), DateTime.UtcNow.AddMinutes(1));
        using ModuleFileLocation after = resolver.Locate(Load("finit_module", null, argv: ["modprobe", "crc7"]));
        Assert.Null(after.File);
    }
}
