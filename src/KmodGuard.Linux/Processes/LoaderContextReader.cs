using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// Completes a loader's <see cref="LoaderProcess"/> at event time: parent pid, executable, command line, working
/// directory, user names and the parent chain, from /proc while the processes live and from recent exec events
/// (<see cref="ExecEventCache"/>) once they are gone. Facts the audit records already carry are kept: they describe
/// the moment of the syscall, /proc only the present.
/// </summary>
internal sealed class LoaderContextReader(ProcFileSystem proc, ExecEventCache execs, UserNames users, int maxAncestors = 32)
{
    public LoaderProcess Read(LoaderProcess known, out string? unresolved)
    {
        ArgumentNullException.ThrowIfNull(known);
        unresolved = null;
        if (known.Pid is not int pid)
        {
            return WithUserNames(known);
        }

        // A pid whose current comm differs from the audit record's has been reused (or renamed itself): not our loader.
        ProcessStat? stat = proc.ReadStat(pid);
        if (stat is not null && known.Name is { } comm && stat.Comm != comm)
        {
            stat = null;
        }

        LoaderProcess filled;
        if (stat is not null)
        {
            IReadOnlyList<string>? args = proc.ReadCommandLine(pid);
            (int Real, int Effective)? ids = proc.ReadUserIds(pid);
            filled = known with
            {
                Name = known.Name ?? stat.Comm,
                ParentPid = known.ParentPid ?? stat.ParentPid,
                ExecutablePath = known.ExecutablePath ?? proc.ReadLink(pid, "exe"),
                Arguments = known.Arguments ?? (args is { Count: > 0 } ? args : null),
                WorkingDirectory = known.WorkingDirectory ?? proc.ReadLink(pid, "cwd"),
                UserId = known.UserId ?? ids?.Real,
                EffectiveUserId = known.EffectiveUserId ?? ids?.Effective,
                AuditUserId = known.AuditUserId ?? proc.ReadLoginUid(pid),
            };
        }
        else if (execs.TryGet(pid, out ExecEvent? exec))
        {
            filled = known with
            {
                ParentPid = known.ParentPid ?? exec.ParentPid,
                ExecutablePath = known.ExecutablePath ?? exec.ExecutablePath,
                Arguments = known.Arguments ?? exec.Arguments,
                WorkingDirectory = known.WorkingDirectory ?? exec.WorkingDirectory,
                UserId = known.UserId ?? exec.UserId,
                EffectiveUserId = known.EffectiveUserId ?? exec.EffectiveUserId,
            };
        }
        else
        {
            filled = known;
            unresolved = $"process: pid {pid} exited before it could be read, and no exec of it was recorded";
        }

        filled = filled with
        {
            CommandLine = filled.CommandLine ?? (filled.Arguments is { Count: > 0 } a ? string.Join(' ', a) : null),
            Ancestors = filled.Ancestors ?? Ancestors(filled.ParentPid, stat?.StartTime),
        };
        return WithUserNames(filled);
    }

    /// <summary>
    /// The parent chain, nearest first, up to pid 1 (or a kernel thread). A parent that started after its child is a
    /// reused pid: the chain falls back to the exec cache there, or stops.
    /// </summary>
    private List<AncestorProcess>? Ancestors(int? parentPid, ulong? childStart)
    {
        var chain = new List<AncestorProcess>();
        var seen = new HashSet<int>();
        int? next = parentPid;
        while (next is int pid && pid > 0 && chain.Count < maxAncestors && seen.Add(pid))
        {
            ProcessStat? stat = proc.ReadStat(pid);
            if (stat is not null && (childStart is null || stat.StartTime <= childStart))
            {
                IReadOnlyList<string>? args = proc.ReadCommandLine(pid);

                // Kernel threads have no executable and no command line; name them the way ps does.
                chain.Add(new AncestorProcess(pid, proc.ReadLink(pid, "exe"), args is { Count: > 0 } ? string.Join(' ', args) : $"[{stat.Comm}]"));
                next = stat.ParentPid;
                childStart = stat.StartTime;
            }
            else if (execs.TryGet(pid, out ExecEvent? exec))
            {
                chain.Add(new AncestorProcess(pid, exec.ExecutablePath, exec.Arguments is { } a ? string.Join(' ', a) : null));
                next = exec.ParentPid;
                childStart = null;
            }
            else
            {
                break;
            }
        }

        return chain.Count > 0 ? chain : null;
    }

    private LoaderProcess WithUserNames(LoaderProcess p) => p with
    {
        UserName = p.UserName ?? users.NameOf(p.UserId),
        EffectiveUserName = p.EffectiveUserName ?? users.NameOf(p.EffectiveUserId),
        AuditUserName = p.AuditUserName ?? users.NameOf(p.AuditUserId),
    };
}
