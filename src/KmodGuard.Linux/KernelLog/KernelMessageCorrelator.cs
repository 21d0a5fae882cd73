using KmodGuard.Core.Events;
using KmodGuard.Linux.Modules.Resolution;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// Joins the kernel's module messages with module activities by module name and time. The kernel prints signature and
/// taint messages inside the load syscall, so they usually arrive just before the audit event; a message is attached
/// to a load of the same module within <see cref="Window"/>, and a nameless one ("Invalid ELF header magic", "Loading
/// of unsigned module is rejected") to a failed load in the window. What matches nothing is reported on its own.
/// Thread-safe: the kernel-log reader calls <see cref="Observe"/>, the decision path <see cref="Attach"/>, a timer
/// <see cref="Expire"/>. Memory is bounded by <see cref="Capacity"/> on both sides.
/// </summary>
/// <param name="readTaint">The module's taint letters now (/sys/module/&lt;name&gt;/taint), or null.</param>
internal sealed class KernelMessageCorrelator(TimeSpan window, Func<string, string?> readTaint)
{
    public const int Capacity = 1024;

    /// <summary>How far apart a message and its load may be: the kernel prints inside the syscall, audit reports its end.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(2);

    /// <summary>How long a message that matches an earlier decision waits for a closer load before it is reported as late.</summary>
    public static readonly TimeSpan LateGrace = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly LinkedList<Pending> _pending = new();
    private readonly LinkedList<Recent> _recent = new();

    public TimeSpan Window => window;

    /// <summary>Messages dropped because more than <see cref="Capacity"/> were waiting.</summary>
    public long Dropped { get; private set; }

    public void Observe(KernelModuleMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            // A decision already made for this module: the message is late for it, unless the load it belongs to is
            // still on its way (the kernel prints during the syscall, audit reports its end): Attach may yet find a
            // closer activity during the grace period before the message is reported as late.
            Recent? match = _recent.Reverse().FirstOrDefault(r => Matches(message, r.Name, r.Time, r.Failed));
            if (_pending.Count >= Capacity)
            {
                _pending.RemoveFirst();
                Dropped++;
            }

            _pending.AddLast(new Pending(message, match?.Id, match?.Time));
        }
    }

    /// <summary>Attaches the messages already seen for this activity (and the module's current taint letters) and remembers it for late ones.</summary>
    public ModuleActivity Attach(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Operation != ModuleOperation.Load)
        {
            return activity;
        }

        string? name = activity.Module.Name;
        DateTimeOffset time = activity.EventTime ?? activity.ReceiveTime;
        bool failed = activity.Source is LinuxAuditSource { Success: false };
        var texts = new List<string>();
        lock (_gate)
        {
            for (LinkedListNode<Pending>? node = _pending.First; node is not null;)
            {
                LinkedListNode<Pending>? next = node.Next;
                Pending p = node.Value;
                if (Matches(p.Message, name, time, failed)
                    && (p.LateFor is null || (p.Message.Time - time).Duration() < (p.Message.Time - p.LateForTime!.Value).Duration()))
                {
                    texts.Add(node.Value.Message.Text);
                    _pending.Remove(node);
                }

                node = next;
            }

            if (_recent.Count >= Capacity)
            {
                _recent.RemoveFirst();
            }

            _recent.AddLast(new Recent(activity.Id, name, time, failed));
        }

        string? taint = activity.TaintFlags ?? (name is not null && !failed ? readTaint(name) : null);
        return texts.Count == 0 && taint == activity.TaintFlags
            ? activity
            : activity with { KernelMessages = texts.Count == 0 ? activity.KernelMessages : [.. activity.KernelMessages ?? [], .. texts], TaintFlags = taint };
    }

    /// <summary>
    /// Takes the messages that will not be attached any more: late ones matched to an earlier decision after the grace,
    /// unmatched ones once they are older than the window. Also forgets activities older than the window.
    /// </summary>
    public IReadOnlyList<KernelMessageReport> Expire(DateTimeOffset now)
    {
        var reports = new List<KernelMessageReport>();
        lock (_gate)
        {
            for (LinkedListNode<Pending>? node = _pending.First; node is not null;)
            {
                LinkedListNode<Pending>? next = node.Next;
                Pending p = node.Value;
                if ((p.LateFor is not null && p.Message.Time + LateGrace < now) || p.Message.Time + window < now)
                {
                    reports.Add(new KernelMessageReport(p.Message, p.LateFor));
                    _pending.Remove(node);
                }

                node = next;
            }

            while (_recent.First is { } oldest && oldest.Value.Time + window < now)
            {
                _recent.RemoveFirst();
            }
        }

        return reports;
    }

    private bool Matches(KernelModuleMessage message, string? name, DateTimeOffset time, bool failed)
    {
        if ((message.Time - time).Duration() > window)
        {
            return false;
        }

        // A refusal belongs to a load that failed, a taint notice to one that succeeded: a module name alone would pair
        // "module verification failed" of a successful load with an earlier refused attempt of the same module.
        return message.ModuleName is { } m
            ? name is not null && KernelModuleIndex.Normalize(m) == KernelModuleIndex.Normalize(name) && message.LoadRefused == failed
            : failed;
    }

    private sealed record Pending(KernelModuleMessage Message, string? LateFor, DateTimeOffset? LateForTime);

    private sealed record Recent(string? Id, string? Name, DateTimeOffset Time, bool Failed);
}
