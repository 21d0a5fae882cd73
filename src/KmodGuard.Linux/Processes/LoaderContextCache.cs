using System.Collections.Concurrent;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// The loader context (parent chain, user names, container) read a moment ago for the same process, as the audit
/// event describes it: one process issuing many module syscalls (a flood, modprobe loading dependencies) is read from
/// /proc once per second instead of once per syscall. Keyed by everything the event says about the process, so a
/// reused pid or a re-exec is a different entry.
/// </summary>
internal sealed class LoaderContextCache(TimeProvider time, TimeSpan? maxAge = null, int capacity = 4096)
{
    internal sealed record Entry(LoaderProcess Loader, ContainerContext? Container, string? Problem);

    private readonly record struct Key(int? Pid, int? ParentPid, string? Executable, string? Name, string? CommandLine, int? UserId, int? EffectiveUserId, int? AuditUserId);

    private readonly ConcurrentDictionary<Key, (long At, Entry Entry)> _entries = new();
    private readonly long _maxAgeTicks = (long)((maxAge ?? TimeSpan.FromSeconds(1)).TotalSeconds * time.TimestampFrequency);

    public bool TryGet(LoaderProcess known, out Entry entry)
    {
        if (known.Pid is not null && _entries.TryGetValue(KeyOf(known), out var hit) && time.GetTimestamp() - hit.At < _maxAgeTicks)
        {
            entry = hit.Entry;
            return true;
        }

        entry = null!;
        return false;
    }

    public void Add(LoaderProcess known, Entry entry)
    {
        if (known.Pid is null)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            _entries.Clear(); // a cache, not a record: starting over is cheaper than tracking age order
        }

        _entries[KeyOf(known)] = (time.GetTimestamp(), entry);
    }

    private static Key KeyOf(LoaderProcess p) =>
        new(p.Pid, p.ParentPid, p.ExecutablePath, p.Name, p.CommandLine, p.UserId, p.EffectiveUserId, p.AuditUserId);
}
