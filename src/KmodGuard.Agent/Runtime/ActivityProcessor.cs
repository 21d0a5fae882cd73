using System.Diagnostics;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Modules;

namespace KmodGuard.Agent.Runtime;

/// <summary>
/// Decides activities off the record-reading thread: enrich within a time budget, attach the kernel's own messages,
/// decide with the policy in force, enforce, record. Activities queue without bound so the reader never blocks.
/// Enrichment that outlives its budget completes later as an update record for the same activity, and is
/// enforced then if it turns an allow into a deny.
/// </summary>
internal sealed class ActivityProcessor
{
    // A plain queue under a monitor, not a channel or a BlockingCollection: the decision thread sleeps when idle and is
    // woken directly by the reader, with no thread-pool hop and no spinning before it sleeps (both cost a flood of
    // syscalls measurable CPU; docs/performance.md).
    private readonly Queue<ModuleActivity> _pending = new();
    private readonly object _gate = new();
    private bool _completed;
    private readonly PolicyHolder _policy;
    private readonly IDecisionSink _sink;
    private readonly Func<ModuleActivity, EnrichmentResult> _enrich;
    private readonly Func<ModuleActivity, ModuleActivity> _attachKernel;
    private readonly Func<ModuleActivity, Decision, Decision> _enforce;
    private readonly RecentActivities _recent = new();
    private long _queued;
    private long _decided;
    private long _denied;

    public ActivityProcessor(
        PolicyHolder policy,
        IDecisionSink sink,
        Func<ModuleActivity, EnrichmentResult>? enrich = null,
        Func<ModuleActivity, ModuleActivity>? attachKernel = null,
        Func<ModuleActivity, Decision, Decision>? enforce = null)
    {
        _policy = policy;
        _sink = sink;
        _enrich = enrich ?? (a => new EnrichmentResult(a, null));
        _attachKernel = attachKernel ?? (a => a);
        _enforce = enforce ?? ((_, d) => d);
    }

    public long Queued => Interlocked.Read(ref _queued);

    public long Decided => Interlocked.Read(ref _decided);

    public long Denied => Interlocked.Read(ref _denied);

    /// <summary>An activity whose processing threw; it is then decided on the facts its event carried.</summary>
    public event Action<ModuleActivity, Exception>? Failed;

    /// <summary>Called on the reader thread; never blocks.</summary>
    public void Enqueue(ModuleActivity activity)
    {
        Interlocked.Increment(ref _queued);
        lock (_gate)
        {
            _pending.Enqueue(activity);
            if (_pending.Count == 1)
            {
                Monitor.Pulse(_gate); // the decision thread waits only on an empty queue
            }
        }
    }

    /// <summary>No more activities will come; <see cref="RunAsync"/> finishes once the queue is drained.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Runs the decision loop on a thread of its own: enrichment waits for its budget there, which must not
    /// hold a thread-pool thread that the enrichment itself (and its completion) needs, least of all on one CPU.</summary>
    public Task RunAsync() => Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Loop()
    {
        while (Take() is (ModuleActivity activity, bool more))
        {
            try
            {
                Process(activity);
            }
#pragma warning disable CA1031 // One activity that cannot be decided must not stop the decisions on all others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Failed?.Invoke(activity, e);
                DecideUnenriched(activity, e);
            }

            if (!more)
            {
                _sink.Flush(); // a burst goes out in a few writes; a lone decision at once
            }
        }

        _sink.Flush();
    }

    /// <summary>The next activity and whether more are waiting; null once completed and drained.</summary>
    private (ModuleActivity, bool)? Take()
    {
        lock (_gate)
        {
            while (_pending.Count == 0)
            {
                if (_completed)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            return (_pending.Dequeue(), _pending.Count > 0);
        }
    }

    internal void Process(ModuleActivity activity)
    {
        long start = Stopwatch.GetTimestamp();
        EnrichmentResult enriched = _enrich(activity);
        ModuleActivity decided = _attachKernel(enriched.Activity);
        Decision decision = _enforce(decided, _policy.Current.Decide(decided));
        Record(decided, decision, Stopwatch.GetElapsedTime(start));
        Interlocked.Increment(ref _decided);
        if (enriched.Completion is { } later)
        {
            later.ContinueWith(
                t => Update(decision, _attachKernel(t.IsCompletedSuccessfully ? t.Result : WithFailure(decided, t.Exception?.InnerException))),
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    /// <summary>Still a decision for an activity whose enrichment or enforcement threw: on the facts the event carried.</summary>
    private void DecideUnenriched(ModuleActivity activity, Exception failure)
    {
        ModuleActivity bare = WithFailure(activity, failure);
        Record(bare, _policy.Current.Decide(bare), TimeSpan.Zero);
        Interlocked.Increment(ref _decided);
    }

    private static ModuleActivity WithFailure(ModuleActivity activity, Exception? failure) =>
        activity with { Unresolved = [.. activity.Unresolved ?? [], $"enrichment failed: {failure?.GetType().Name}: {failure?.Message}"] };

    /// <summary>A kernel message that arrived after its activity was decided: record the activity again with it.</summary>
    public bool UpdateWithKernelMessage(string activityId, Func<ModuleActivity, ModuleActivity> attach)
    {
        if (!_recent.TryGet(activityId, out (ModuleActivity Activity, Decision Decision) earlier))
        {
            return false;
        }

        Update(earlier.Decision, attach(earlier.Activity));
        return true;
    }

    /// <summary>Records what became known after the decision. Enforces only when the new facts turn an allow into a
    /// deny; otherwise the update carries the action already taken.</summary>
    private void Update(Decision earlier, ModuleActivity now)
    {
        long start = Stopwatch.GetTimestamp();
        // Enrichment and a late kernel message may complete the same activity in either order: keep what the last
        // record already said about the kernel's verdict.
        if (now.Id is { } id && _recent.TryGet(id, out (ModuleActivity Activity, Decision Decision) latest))
        {
            now = now with
            {
                KernelMessages = (latest.Activity.KernelMessages ?? []).Union(now.KernelMessages ?? []).ToArray() is { Length: > 0 } messages ? messages : null,
                TaintFlags = now.TaintFlags ?? latest.Activity.TaintFlags,
            };
        }

        Decision decision = _policy.Current.Decide(now);
        decision = earlier.Verdict == Verdict.Allow && decision.Verdict == Verdict.Deny
            ? _enforce(now, decision)
            : decision with { Action = decision.Verdict == earlier.Verdict ? earlier.Action : decision.Action, ActionError = earlier.ActionError };
        Record(now, decision with { IsUpdate = true }, Stopwatch.GetElapsedTime(start));
        _sink.Flush();
    }

    private void Record(ModuleActivity activity, Decision decision, TimeSpan elapsed)
    {
        _sink.Record(activity, decision);
        // Only loads receive late kernel messages; holding unloads too would carry every one of an unload flood
        // into the old generation.
        if (activity.Operation == ModuleOperation.Load)
        {
            _recent.Remember(activity, decision);
        }

        KmodGuardMetrics.DecisionMade(activity, decision, elapsed);
        if (decision.Verdict == Verdict.Deny && !decision.IsUpdate)
        {
            Interlocked.Increment(ref _denied);
        }
    }
}
