using System.Collections.Concurrent;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.MacOS.Tests;

/// <summary>Collects decision records; can hold the worker thread inside Record to make the next decision late.</summary>
internal sealed class RecordingSink : IDecisionSink, IDisposable
{
    private readonly ConcurrentQueue<(ModuleActivity Activity, Decision Decision)> _records = new();
    private readonly SemaphoreSlim _added = new(0);

    /// <summary>When set, Record blocks until it is released.</summary>
    public ManualResetEventSlim? Gate { get; set; }

    public void Record(ModuleActivity activity, Decision decision)
    {
        _records.Enqueue((activity, decision));
        _added.Release();
        Gate?.Wait(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _added.Dispose();

    public IReadOnlyList<(ModuleActivity Activity, Decision Decision)> WaitFor(int count)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (_records.Count < count && DateTime.UtcNow < until)
        {
            _added.Wait(TimeSpan.FromMilliseconds(50));
        }

        Assert.True(_records.Count >= count, $"expected {count} records, got {_records.Count}");
        return [.. _records];
    }
}
