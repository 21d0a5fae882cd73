using System.Runtime.InteropServices;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Agent.Configuration;

/// <summary>
/// Keeps the policy in force in step with the policy file: on SIGHUP, and (when watching) when the file changes.
/// A good policy is compiled completely, then swapped in atomically (<see cref="PolicyHolder"/>); a bad one is
/// reported and the running policy stays. Every attempt is reported through the callback, from one thread at a time.
/// </summary>
/// <remarks>
/// Changes are found by polling the file's size, modification and birth times: that survives editors that write a
/// new file and rename it over the old one, directories that do not exist yet, and needs no inotify watches. A change
/// is acted on once the file has looked the same for one more poll, so a file caught half-written is not loaded.
/// </remarks>
internal sealed class PolicyReloader : IDisposable
{
    private readonly PolicyHolder _holder;
    private readonly string _path;
    private readonly TimeSpan? _pollInterval;
    private readonly Action<PolicyReloadResult> _report;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signalled = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private PosixSignalRegistration? _sighup;
    private Task? _loop;

    /// <param name="holder">The policy in force, as loaded by <see cref="LoadInitial"/>.</param>
    /// <param name="path">The policy file.</param>
    /// <param name="pollInterval">How often to look at the file; null reloads on SIGHUP only.</param>
    /// <param name="report">Receives every reload attempt (the agent logs it; a rejection is an agent error). Must not throw.</param>
    public PolicyReloader(PolicyHolder holder, string path, TimeSpan? pollInterval, Action<PolicyReloadResult> report)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(report);
        _holder = holder;
        _path = path;
        _pollInterval = pollInterval;
        _report = report;
    }

    /// <summary>Once a second: reloads land within about two seconds of the save.</summary>
    public static TimeSpan DefaultPollInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The policy to start with: the file's, or the embedded default when the file does not exist (<paramref name="note"/>
    /// says which, for the log). A bad policy file throws <see cref="PolicyLoadException"/>: the agent refuses to start.
    /// </summary>
    public static CompiledPolicy LoadInitial(string path, out string note)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            CompiledPolicy fallback = DefaultPolicy.Load();
            note = $"no policy file at {path}: using the embedded default policy ({Describe(fallback)}; see 'kmodguard policy show-default')";
            return fallback;
        }

        CompiledPolicy policy = PolicyLoader.LoadFile(path);
        note = $"policy loaded from {path}: {Describe(policy)}";
        return policy;
    }

    /// <summary>Starts listening for SIGHUP and, with a poll interval, watching the file.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the reloader is already started");
        }

        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means reload, not hang up.
            RequestReload();
        });
        // Taken now, not on the loop's thread: a change right after Start must count as a change.
        FileStamp initial = FileStamp.Of(_path);
        _loop = Task.Run(() => RunAsync(initial, _stop.Token));
    }

    /// <summary>Asks the loop for a reload (what SIGHUP does); returns at once.</summary>
    public void RequestReload()
    {
        try
        {
            _signalled.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reload is already pending; one is enough.
        }
    }

    /// <summary>Loads the file now and swaps it in if it is good. Serialised with the loop.</summary>
    public PolicyReloadResult Reload(PolicyReloadTrigger trigger)
    {
        lock (_gate)
        {
            CompiledPolicy current = _holder.Current;
            CompiledPolicy next;
            try
            {
                if (!File.Exists(_path))
                {
                    throw new PolicyLoadException([new PolicyError(_path, 1, 1, "the policy file does not exist (any more)")]);
                }

                next = PolicyLoader.LoadFile(_path);
            }
            catch (PolicyLoadException e)
            {
                return Publish(Rejected(trigger, current, e.Errors, e.Message));
            }
#pragma warning disable CA1031 // Whatever fails in loading, the running policy stays and the reloader keeps working.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return Publish(Rejected(trigger, current, [new PolicyError(_path, 1, 1, $"unexpected {e.GetType().Name}: {e.Message}")], e.Message));
            }

            if (next.Sha256 == current.Sha256)
            {
                return Publish(new PolicyReloadResult(trigger, PolicyReloadOutcome.Unchanged, current, null, [],
                    $"policy reload ({TriggerText(trigger)}): {_path} is unchanged ({Describe(current)})"));
            }

            CompiledPolicy replaced = _holder.Swap(next);
            return Publish(new PolicyReloadResult(trigger, PolicyReloadOutcome.Swapped, next, replaced, [],
                $"policy reloaded ({TriggerText(trigger)}) from {_path}: {Describe(next)}; replaced sha256 {replaced.Sha256[..16]}"));
        }
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
        }

        _stop.Dispose();
        _signalled.Dispose();
    }

    internal static string Describe(CompiledPolicy p) =>
        $"sha256 {p.Sha256[..16]}, {p.Rules.Count} rule{(p.Rules.Count == 1 ? "" : "s")}, mode {Words.Of(p.Mode)}";

    private async Task RunAsync(FileStamp seen, CancellationToken stop)
    {
        FileStamp? pending = null;
        while (!stop.IsCancellationRequested)
        {
            bool signalled = await _signalled.WaitAsync(_pollInterval ?? Timeout.InfiniteTimeSpan, stop).ConfigureAwait(false);
            if (signalled)
            {
                seen = FileStamp.Of(_path);
                pending = null;
                Reload(PolicyReloadTrigger.Signal);
                continue;
            }

            FileStamp now = FileStamp.Of(_path);
            if (now == seen)
            {
                pending = null;
            }
            else if (now == pending)
            {
                // The same new stamp twice in a row: the writer is done.
                seen = now;
                pending = null;
                Reload(PolicyReloadTrigger.FileChanged);
            }
            else
            {
                pending = now;
            }
        }
    }

    private static PolicyReloadResult Rejected(PolicyReloadTrigger trigger, CompiledPolicy current, IReadOnlyList<PolicyError> errors, string fallback) =>
        new(trigger, PolicyReloadOutcome.Rejected, current, null, errors,
            $"policy reload ({TriggerText(trigger)}) rejected, keeping the running policy ({Describe(current)}): " +
            (errors.Count > 1 ? $"{errors.Count} errors, the first: " : "") + (errors.Count > 0 ? errors[0].ToString() : fallback));

    private PolicyReloadResult Publish(PolicyReloadResult result)
    {
        _report(result);
        return result;
    }

    private static string TriggerText(PolicyReloadTrigger trigger) => trigger switch
    {
        PolicyReloadTrigger.Signal => "SIGHUP",
        PolicyReloadTrigger.FileChanged => "file changed",
        _ => "requested",
    };

    /// <summary>What polling compares: a rename-over changes the birth time, an in-place write the size or mtime.</summary>
    private readonly record struct FileStamp(bool Exists, long Length, DateTime Modified, DateTime Born)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.Length, info.LastWriteTimeUtc, info.CreationTimeUtc) : default;
        }
    }
}
