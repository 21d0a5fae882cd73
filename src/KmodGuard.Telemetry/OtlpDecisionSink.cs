using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace KmodGuard.Telemetry;

/// <summary>
/// Sends decisions to OpenTelemetry without ever making the decision path wait. <see cref="Record"/> only puts the
/// decision in a bounded in-memory queue (or, when that is full, appends it to the disk spill); one background
/// thread logs queued records in batches and waits for the SDK to export each batch before taking the next, so the
/// SDK's own queue, which drops silently when full, never overflows. When the queue is empty the thread replays the
/// spill. A record lost anyway (spill full or unwritable) is counted and reported, never silently dropped.
/// </summary>
internal sealed class OtlpDecisionSink : IDecisionSink, IDisposable
{
    // Flushes wait in short slices: the SDK's ForceFlush can miss the export-done signal and then sleeps up to a
    // second before it looks again (seen with 1.20.1); slices also notice a stop while the exporter hangs.
    private static readonly TimeSpan FlushSlice = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly Channel<PendingDecision> _queue;
    private readonly DecisionSpill? _spill;
    private readonly ILogger _records;
    private readonly ILogger _agent;
    private readonly Func<int, bool> _flush;
    private readonly int _batchSize;
    private readonly TimeSpan _stopTimeout;
    private readonly TimeSpan _reportInterval;
    private readonly Thread _pump;
    private readonly List<PendingDecision> _batch;
    private long _stopDeadline = long.MaxValue;
    private long _spilledUnreported;
    private long _droppedUnreported;
    private long _damagedUnreported;
    private long _lastReport;
    private long _replayed;

    /// <param name="records">Logger for decision records (category <see cref="DecisionLog.Category"/>).</param>
    /// <param name="agent">Logger for the sink's own warnings.</param>
    /// <param name="flush">Waits up to the given milliseconds for everything logged so far to be exported: the SDK's ForceFlush.</param>
    /// <param name="spill">The disk spill; null when the state directory is unusable (overflow is then dropped, counted).</param>
    public OtlpDecisionSink(ILogger records, ILogger agent, Func<int, bool> flush, DecisionSpill? spill, TelemetrySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ExportBatchSize, 1);
        _records = records;
        _agent = agent;
        _flush = flush;
        _spill = spill;
        _batchSize = settings.ExportBatchSize;
        _stopTimeout = settings.StopTimeout;
        _reportInterval = settings.FailureReportInterval;
        _batch = new List<PendingDecision>(_batchSize);
        _queue = Channel.CreateBounded<PendingDecision>(new BoundedChannelOptions(settings.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of discarding anything
        });
        _lastReport = Stopwatch.GetTimestamp() - (long)(_reportInterval.TotalSeconds * Stopwatch.Frequency);
        _pump = new Thread(Pump) { IsBackground = true, Name = "kmodguard-otlp" };
        _pump.Start();
    }

    public void Record(ModuleActivity activity, Decision decision)
    {
        var record = new PendingDecision(activity, decision);
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        if (_spill?.TryAppend(record) == true)
        {
            Interlocked.Increment(ref _spilledUnreported);
            KmodGuardMetrics.RecordsSpilled.Add(1);
        }
        else
        {
            Interlocked.Increment(ref _droppedUnreported);
            KmodGuardMetrics.RecordsDropped.Add(1);
        }
    }

    /// <summary>Decisions waiting in memory.</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>Exports what is queued within the stop timeout; what remains goes to the spill for the next start.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _stopDeadline, Stopwatch.GetTimestamp() + (long)(_stopTimeout.TotalSeconds * Stopwatch.Frequency), long.MaxValue) != long.MaxValue)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _pump.Join();
        ReportLosses(force: true);
    }

    private bool Stopping => Volatile.Read(ref _stopDeadline) != long.MaxValue;

    private bool PastDeadline => Stopwatch.GetTimestamp() >= Volatile.Read(ref _stopDeadline);

    private void Pump()
    {
        ChannelReader<PendingDecision> reader = _queue.Reader;
        while (true)
        {
            if (PastDeadline)
            {
                SpillRemaining(reader);
                return;
            }

            // At most once per report interval, also while busy: a long overload is reported as it happens.
            ReportLosses(force: false);
            while (_batch.Count < _batchSize && reader.TryRead(out PendingDecision record))
            {
                _batch.Add(record);
            }

            if (_batch.Count > 0)
            {
                foreach (PendingDecision record in _batch)
                {
                    DecisionLog.Write(_records, record);
                }

                _batch.Clear();
                Flush();
                continue;
            }

            // Also while stopping: the stop timeout is spent sending what waits on disk too.
            if (_spill is not null && _spill.TryReplayOldest(ReplayLine, Flush))
            {
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                return;
            }

            try
            {
                _ = reader.WaitToReadAsync().AsTask().Wait(IdleWait);
            }
            catch (AggregateException)
            {
                // Completed with an error cannot happen (TryComplete without one); treat as stopped.
                return;
            }
        }
    }

    /// <summary>Waits until the SDK has exported (or given up on, and stored for retry) everything logged so far.</summary>
    private bool Flush()
    {
        while (true)
        {
            TimeSpan timeout = Stopping ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _stopDeadline)) : FlushSlice;
            if (_flush((int)Math.Clamp(timeout.TotalMilliseconds, 1, FlushSlice.TotalMilliseconds)))
            {
                return true;
            }

            if (PastDeadline)
            {
                return false;
            }
        }
    }

    /// <summary>Replays one spilled line; like queued records, at most one batch is handed to the SDK before a flush.</summary>
    private void ReplayLine(string line)
    {
        if (PastDeadline)
        {
            // The file stays on disk (its commit fails) and is sent after the next start.
            return;
        }

        try
        {
            DecisionLog.WriteSpilled(_records, line);
            if (++_replayed % _batchSize == 0)
            {
                Flush();
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            // Counted, and reported with the other losses.
            Interlocked.Increment(ref _damagedUnreported);
            KmodGuardMetrics.RecordsDropped.Add(1);
        }
    }

    private void SpillRemaining(ChannelReader<PendingDecision> reader)
    {
        while (reader.TryRead(out PendingDecision record))
        {
            if (_spill?.TryAppend(record) != true)
            {
                Interlocked.Increment(ref _droppedUnreported);
                KmodGuardMetrics.RecordsDropped.Add(1);
            }
        }
    }

    private void ReportLosses(bool force)
    {
        long now = Stopwatch.GetTimestamp();
        if (!force && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReport), now) < _reportInterval)
        {
            return;
        }

        long spilled = Interlocked.Exchange(ref _spilledUnreported, 0);
        long dropped = Interlocked.Exchange(ref _droppedUnreported, 0);
        long damaged = Interlocked.Exchange(ref _damagedUnreported, 0);
        if (spilled > 0)
        {
            _agent.Spilling(spilled);
        }

        if (dropped > 0)
        {
            _agent.Dropped(dropped, _spill is null ? "in-memory queue full and no disk spill (state directory unusable)" : "in-memory queue full and disk spill full or unwritable");
        }

        if (damaged > 0)
        {
            _agent.Dropped(damaged, "damaged lines in the disk spill were skipped");
        }

        if (spilled > 0 || dropped > 0 || damaged > 0)
        {
            Interlocked.Exchange(ref _lastReport, now);
        }
    }
}
