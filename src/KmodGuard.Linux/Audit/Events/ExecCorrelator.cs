namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Remembers the last exec of a module tool per pid (argv and working directory from the exec watch's EXECVE and CWD
/// records), so a later finit_module / init_module / delete_module of the same process can name its file and show
/// its full command line. Bounded: the least recently recorded pid goes first.
/// </summary>
internal sealed class ExecCorrelator(int capacity = 4096)
{
    private readonly Dictionary<long, LinkedListNode<(long Pid, ExecRecord Exec)>> _byPid = [];
    private readonly LinkedList<(long Pid, ExecRecord Exec)> _order = new();

    public int Count => _byPid.Count;

    public void Record(long pid, ExecRecord exec)
    {
        if (_byPid.Remove(pid, out LinkedListNode<(long, ExecRecord)>? previous))
        {
            _order.Remove(previous);
        }

        _byPid[pid] = _order.AddLast((pid, exec));
        if (_byPid.Count > capacity)
        {
            _byPid.Remove(_order.First!.Value.Pid);
            _order.RemoveFirst();
        }
    }

    /// <summary>The exec of <paramref name="pid"/>, if it ran <paramref name="executable"/> (a reused pid running something else does not count).</summary>
    public ExecRecord? Find(long pid, string? executable) =>
        _byPid.TryGetValue(pid, out var node) && (executable is null || node.Value.Exec.Executable is null || node.Value.Exec.Executable == executable)
            ? node.Value.Exec
            : null;
}

/// <summary>What an exec event said about a process.</summary>
internal sealed record ExecRecord(string? Executable, IReadOnlyList<string> Arguments, string? WorkingDirectory);
