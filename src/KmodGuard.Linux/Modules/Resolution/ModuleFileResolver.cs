using System.Globalization;
using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Processes;
using Microsoft.Win32.SafeHandles;

namespace KmodGuard.Linux.Modules.Resolution;

/// <summary>
/// Finds the file behind a module load, as soon as the event arrives:
/// <list type="number">
/// <item>finit_module: the loader's descriptor a0, reopened through /proc/PID/fd/a0 (works for deleted files, memfds
/// and other mount namespaces);</item>
/// <item>otherwise the loader's command line: insmod's path (relative to its working directory), or modprobe's
/// name or alias resolved through modules.dep / modules.alias of the running kernel (or modprobe -S / -d);</item>
/// <item>init_module: no file at all, and said so.</item>
/// </list>
/// Paths named on a command line are opened inside the loader's own root (/proc/PID/root) while it lives.
/// </summary>
internal sealed class ModuleFileResolver(ProcFileSystem proc, string modulesRoot = "/lib/modules")
{
    private const string DeletedSuffix = " (deleted)";
    private readonly Dictionary<string, (DateTime Written, KernelModuleIndex Index)> _indexes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    // Fixed while the agent runs: read once they can be read, not on every lookup inside the enrichment budget. The
    // namespace is a plain ulong (0 = not yet; no namespace has inode 0) so concurrent lookups never see half a value.
    private string? _kernelRelease;
    private ulong _ownMountNamespace;

    /// <summary>
    /// The finit_module descriptor step alone, for the moment the event arrives: the loader may exit (closing the
    /// descriptor) before the full enrichment runs. Null when the activity is not a finit_module or the descriptor is
    /// already gone (<see cref="Locate"/> then falls back to the command line).
    /// </summary>
    public ModuleFileLocation? PinDescriptor(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Source is LinuxAuditSource { SyscallName: "finit_module", Arguments: [ulong fd, ..] } && activity.Process.Pid is int pid
            ? FromDescriptor(pid, fd, activity.Process.Name, [])
            : null;
    }

    public ModuleFileLocation Locate(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var source = activity.Source as LinuxAuditSource;
        if (source?.SyscallName == "init_module")
        {
            // The kernel got bytes, not a file. When the loading tool's command line names one (busybox insmod reads
            // it into memory, and falls back to init_module when finit_module fails), that is the file to judge: a
            // refused finit_module must not turn into an unexamined init_module of the same file.
            return LoaderRequest.Parse(activity.Process.Arguments) is { } named && FromCommandLine(named, activity, []) is { } file
                ? file
                : ModuleFileLocation.Unresolved("init_module loads the module from a memory buffer: the kernel was given no file");
        }

        var reasons = new List<string>();
        if (source?.SyscallName == "finit_module" && activity.Process.Pid is int pid && source.Arguments is [ulong fd, ..]
            && FromDescriptor(pid, fd, activity.Process.Name, reasons) is { } fromFd)
        {
            return fromFd;
        }

        if (LoaderRequest.Parse(activity.Process.Arguments) is { } request)
        {
            return FromCommandLine(request, activity, reasons) ?? ModuleFileLocation.Unresolved(string.Join("; ", reasons));
        }

        reasons.Add(activity.Process.Arguments is null ? "the loader's command line is unknown" : "the loader is not insmod or modprobe");
        return ModuleFileLocation.Unresolved(string.Join("; ", reasons));
    }

    private ModuleFileLocation? FromDescriptor(int pid, ulong fd, string? comm, List<string> reasons)
    {
        if (fd > int.MaxValue)
        {
            reasons.Add($"finit_module fd {fd} is not a descriptor");
            return null;
        }

        // The pid must still be the loader: a reused pid's descriptors are someone else's files.
        if (comm is not null && proc.ReadStat(pid) is { } stat && stat.Comm != comm)
        {
            reasons.Add($"pid {pid} is now another process ({stat.Comm})");
            return null;
        }

        string entry = $"fd/{fd.ToString(CultureInfo.InvariantCulture)}";
        string? target = proc.ReadLink(pid, entry);
        if (target is null)
        {
            reasons.Add($"fd {fd} of pid {pid} is gone (the loader exited)");
            return null;
        }

        if (!target.StartsWith('/'))
        {
            reasons.Add($"fd {fd} of pid {pid} is not a file ({target})");
            return null;
        }

        if (Open(proc.PathOf(pid, entry), reasons) is not { } file)
        {
            return null;
        }

        // The kernel appends " (deleted)" to the link of an unlinked file; a file really named so still exists.
        bool deleted = target.EndsWith(DeletedSuffix, StringComparison.Ordinal) && !System.IO.File.Exists(target);
        return new ModuleFileLocation
        {
            Path = deleted ? target[..^DeletedSuffix.Length] : target,
            Deleted = deleted,
            File = file,
            Source = ModuleFileSource.Descriptor,
        };
    }

    private ModuleFileLocation? FromCommandLine(LoaderRequest request, ModuleActivity activity, List<string> reasons)
    {
        LoaderProcess loader = activity.Process;
        string? root = LoaderRoot(loader.Pid);
        if (request.Tool == LoaderTool.Insmod)
        {
            string path = request.Targets[0];
            if (!path.StartsWith('/'))
            {
                string? cwd = loader.WorkingDirectory ?? (loader.Pid is int p ? proc.ReadLink(p, "cwd") : null);
                if (ModuleToolCommand.Absolute(path, cwd) is not { } absolute)
                {
                    // Hostile input (a NUL, a relative "working directory") ends here too, not in an exception.
                    reasons.Add($"insmod was given the relative path '{path}' and its working directory is unknown");
                    return null;
                }

                path = absolute;
            }

            return Opened(path, root, ModuleFileSource.InsmodArgument, reasons);
        }

        string? release = request.KernelVersion ?? (_kernelRelease ??= proc.KernelRelease());
        if (release is null)
        {
            reasons.Add("the running kernel's release is unknown");
            return null;
        }

        string directory = request.RootDirectory is { } d ? Path.Join(d, "lib/modules", release) : Path.Join(modulesRoot, release);
        KernelModuleIndex? index = Index(directory, root, reasons);
        if (index is null)
        {
            return null;
        }

        // modprobe loads dependencies first, each with its own finit_module: the kernel's name for this load picks the file.
        var candidates = request.Targets.SelectMany(index.Resolve).ToList();
        if (activity.Module.Name is { } loaded)
        {
            string wanted = KernelModuleIndex.Normalize(loaded);
            candidates = [.. candidates.Concat(candidates.SelectMany(index.DependenciesOf)).Where(c => c == wanted).Distinct()];
        }

        if (candidates.Count != 1)
        {
            reasons.Add(candidates.Count == 0
                ? $"modprobe {string.Join(' ', request.Targets)}: no matching module in {directory}"
                : $"modprobe {string.Join(' ', request.Targets)}: matches {candidates.Count} modules in {directory} ({string.Join(", ", candidates.Take(5))})");
            return null;
        }

        return Opened(index.PathOf(candidates[0])!, root, ModuleFileSource.ModprobeLookup, reasons);
    }

    /// <summary>/proc/PID/root when the loader lives in another mount namespace than the agent, else null (our own root).</summary>
    private string? LoaderRoot(int? pid)
    {
        if (pid is not int p)
        {
            return null;
        }

        ulong? theirs = proc.ReadNamespace(p.ToString(CultureInfo.InvariantCulture), "mnt");
        if (_ownMountNamespace == 0)
        {
            _ownMountNamespace = proc.ReadNamespace("self", "mnt") ?? 0;
        }

        return theirs is not null && theirs != (_ownMountNamespace == 0 ? null : _ownMountNamespace) ? proc.PathOf(p, "root") : null;
    }

    private static ModuleFileLocation? Opened(string path, string? root, ModuleFileSource source, List<string> reasons) =>
        Open(root + path, reasons) is { } file ? new ModuleFileLocation { Path = path, File = file, Source = source } : null;

    private static SafeFileHandle? Open(string path, List<string> reasons)
    {
        try
        {
            return ModuleFile.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reasons.Add(e.Message);
            return null;
        }
    }

    /// <summary>The parsed index of a module directory, re-read when its modules.dep changes (depmod after an install).</summary>
    private KernelModuleIndex? Index(string directory, string? root, List<string> reasons)
    {
        string onDisk = root + directory;
        try
        {
            DateTime written = File.GetLastWriteTimeUtc(Path.Combine(onDisk, "modules.dep"));
            lock (_lock)
            {
                if (_indexes.TryGetValue(onDisk, out var cached) && cached.Written == written)
                {
                    return cached.Index;
                }
            }

            KernelModuleIndex index = KernelModuleIndex.Load(directory, root);
            lock (_lock)
            {
                _indexes[onDisk] = (written, index);
            }

            return index;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reasons.Add($"cannot read {directory}/modules.dep: {e.Message}");
            return null;
        }
    }
}
