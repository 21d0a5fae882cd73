namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Remembers the last exec of a module tool per pid (argv and working directory from the exec watch's EXECVE and CWD
/// records), so a later finit_module / init_module / delete_module of the same process can name its file and show
/// its full command line. Bounded: the oldest entries go first.
/// </summary>
internal sealed class ExecCorrelator(int capacity = 4096)
{
    private readonly Dictionary<long, (ExecRecord Exec, long Sequence)> _byPid = [];
    private readonly Queue<(long Pid, long Sequence)> _order = new();
    private long _sequence;

    public int Count => _byPid.Count;

    public void Record(long pid, ExecRecord exec)
    {
        _byPid[pid] = (exec, ++_sequence);
        _order.Enqueue((pid, _sequence));
        while (_byPid.Count > capacity && _order.TryDequeue(out (long Pid, long Sequence) oldest))
        {
            if (_byPid.TryGetValue(oldest.Pid, out var current) && current.Sequence == oldest.Sequence)
            {
                _byPid.Remove(oldest.Pid);
            }
        }

        // Stale queue entries (pids recorded again) are dropped once the queue is much longer than the map.
        if (_order.Count > 2 * capacity)
        {
            var live = _order.Where(o => _byPid.TryGetValue(o.Pid, out var c) && c.Sequence == o.Sequence).ToArray();
            _order.Clear();
            foreach (var o in live)
            {
                _order.Enqueue(o);
            }
        }
    }

    /// <summary>The exec of <paramref name="pid"/>, if it ran <paramref name="executable"/> (a reused pid running something else does not count).</summary>
    public ExecRecord? Find(long pid, string? executable) =>
        _byPid.TryGetValue(pid, out var entry) && (executable is null || entry.Exec.Executable is null || entry.Exec.Executable == executable)
            ? entry.Exec
            : null;
}

/// <summary>What an exec event said about a process.</summary>
internal sealed record ExecRecord(string? Executable, IReadOnlyList<string> Arguments, string? WorkingDirectory);
