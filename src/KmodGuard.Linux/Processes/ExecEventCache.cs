namespace KmodGuard.Linux.Processes;

/// <summary>
/// What the audit events said about each recent loader pid (the agent records the process of every module event
/// before enriching it), bounded in count and age; the loader context reads from here when /proc no longer has the
/// process or an ancestor. Entries older than <see cref="MaxAge"/> are ignored, since by then the pid may belong to
/// another process. Thread-safe.
/// </summary>
internal sealed class ExecEventCache(int capacity = 4096, TimeSpan? maxAge = null, TimeProvider? time = null)
{
    private readonly Dictionary<int, ExecEvent> _byPid = [];
    private readonly Queue<ExecEvent> _order = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();

    public TimeSpan MaxAge { get; } = maxAge ?? TimeSpan.FromMinutes(10);

    public void Record(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        lock (_lock)
        {
            // A process issuing syscall after syscall is recorded once a minute, not once per syscall: every entry
            // lives for thousands of events, and one per syscall would carry a whole flood into the old generation.
            if (_byPid.TryGetValue(exec.Pid, out ExecEvent? known) && exec.Time - known.Time < TimeSpan.FromMinutes(1) && SameProcess(known, exec))
            {
                return;
            }

            _byPid[exec.Pid] = exec;
            _order.Enqueue(exec);

            // The queue may hold superseded entries for a pid; only remove the mapping if it is still the one queued.
            while (_order.Count > capacity)
            {
                ExecEvent old = _order.Dequeue();
                if (_byPid.TryGetValue(old.Pid, out ExecEvent? current) && ReferenceEquals(current, old))
                {
                    _byPid.Remove(old.Pid);
                }
            }
        }
    }

    private static bool SameProcess(ExecEvent a, ExecEvent b) =>
        a.ParentPid == b.ParentPid && a.ExecutablePath == b.ExecutablePath && a.WorkingDirectory == b.WorkingDirectory
        && a.UserId == b.UserId && a.EffectiveUserId == b.EffectiveUserId
        && (a.Arguments ?? []).SequenceEqual(b.Arguments ?? [], StringComparer.Ordinal);

    public bool TryGet(int pid, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExecEvent? exec)
    {
        lock (_lock)
        {
            if (_byPid.TryGetValue(pid, out exec) && _time.GetUtcNow() - exec.Time <= MaxAge)
            {
                return true;
            }
        }

        exec = null;
        return false;
    }
}
