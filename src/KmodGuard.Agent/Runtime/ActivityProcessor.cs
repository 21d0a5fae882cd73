using System.Diagnostics;
using System.Threading.Channels;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Agent.Runtime;

/// <summary>
/// Decides activities off the record-reading thread: enrich (bounded), decide with the policy in force, enforce,
/// record. Activities queue in an unbounded channel so the reader never blocks; the queue depth is observable.
/// </summary>
internal sealed class ActivityProcessor
{
    private readonly Channel<ModuleActivity> _queue = Channel.CreateUnbounded<ModuleActivity>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PolicyHolder _policy;
    private readonly IDecisionSink _sink;
    private readonly Func<ModuleActivity, ModuleActivity> _enrich;
    private readonly Func<ModuleActivity, Decision, Decision> _enforce;
    private readonly DecisionLatency _latency = new();
    private long _queued;
    private long _decided;

    public ActivityProcessor(
        PolicyHolder policy,
        IDecisionSink sink,
        Func<ModuleActivity, ModuleActivity>? enrich = null,
        Func<ModuleActivity, Decision, Decision>? enforce = null)
    {
        _policy = policy;
        _sink = sink;
        _enrich = enrich ?? (a => a);
        _enforce = enforce ?? ((_, d) => d);
    }

    public long Decided => Interlocked.Read(ref _decided);

    public long QueueDepth => Interlocked.Read(ref _queued) - Interlocked.Read(ref _decided);

    public DecisionLatency Latency => _latency;

    /// <summary>Called on the reader thread; never blocks.</summary>
    public void Enqueue(ModuleActivity activity)
    {
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(activity);
    }

    /// <summary>No more activities will come; <see cref="RunAsync"/> finishes once the queue is drained.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync()
    {
        await foreach (ModuleActivity activity in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Process(activity);
        }
    }

    internal void Process(ModuleActivity activity)
    {
        ModuleActivity enriched = _enrich(activity);
        Decision decision = _enforce(enriched, _policy.Current.Decide(enriched));
        _sink.Record(enriched, decision);
        _latency.Add(enriched.EventTime, DateTimeOffset.UtcNow);
        Interlocked.Increment(ref _decided);
    }
}
