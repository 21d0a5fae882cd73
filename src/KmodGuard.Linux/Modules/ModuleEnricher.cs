using KmodGuard.Core.Events;
using KmodGuard.Linux.Modules.Inspection;
using KmodGuard.Linux.Modules.Resolution;
using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Modules;

/// <summary>
/// Turns a <see cref="ModuleActivity"/> from the audit mapper into an enriched copy: the loader's context (parent
/// chain, user names, container), the module file (located at event time, before the loader's descriptor closes)
/// and its inspection (sha256, .modinfo, signature verdict).
/// <para>
/// The decision must not wait on I/O: <see cref="Enrich"/> returns within its budget with whatever is known
/// (unfinished parts named in <see cref="ModuleActivity.Unresolved"/>) and, if work remains, a task that completes
/// it for an update record. Work that outlives <see cref="Timeout"/> is abandoned and reported as such.
/// </para>
/// </summary>
internal sealed class ModuleEnricher(
    ModuleFileResolver files,
    ModuleInspector inspector,
    LoaderContextReader loaders,
    ContainerDetector containers,
    TimeSpan? timeout = null)
{
    /// <summary>Leaves room in the 5 ms event-to-decision target for the policy and the record.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromMilliseconds(2);

    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(30);

    /// <summary>The enricher for this machine: /proc, /lib/modules, the given trusted keys and exec cache.</summary>
    public static ModuleEnricher ForHost(ModuleInspector inspector, ExecEventCache execs)
    {
        ProcFileSystem proc = ProcFileSystem.Host;
        return new ModuleEnricher(new ModuleFileResolver(proc), inspector, new LoaderContextReader(proc, execs, UserNames.Shared), new ContainerDetector(proc));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ModuleFileLocation> _pinned = new(StringComparer.Ordinal);
    private readonly LoaderContextCache _contexts = new(TimeProvider.System);

    /// <summary>
    /// Opens a finit_module's file through the loader's descriptor now, on the thread that received the event, and
    /// keeps it for <see cref="Enrich"/>: by the time enrichment runs the loader has often exited.
    /// </summary>
    public void Pin(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Id is { } id && files.PinDescriptor(activity) is { } location && !_pinned.TryAdd(id, location))
        {
            location.File?.Dispose();
        }
    }

    public EnrichmentResult Enrich(ModuleActivity activity, TimeSpan budget, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(activity);

        // Unloads and persistence changes need no file: when the loader's context is known from a moment ago (one
        // process issuing many syscalls), the result is complete at once, without a thread hop.
        if (activity.Operation != ModuleOperation.Load && _contexts.TryGet(activity.Process, out LoaderContextCache.Entry cached))
        {
            return new EnrichmentResult(WithContext(activity, cached), null);
        }

        var progress = new Progress(activity);
        Task<ModuleActivity> work = Task.Run(() => Run(activity, progress, cancellation), CancellationToken.None);
        if (work.Wait(budget, CancellationToken.None))
        {
            return new EnrichmentResult(work.Result, null);
        }

        (ModuleActivity partial, string pending) = progress.Snapshot();
        return new EnrichmentResult(WithUnresolved(partial, $"{pending}: not done within the {budget.TotalMilliseconds:0.###} ms budget; an update follows"), work);
    }

    private ModuleActivity Run(ModuleActivity activity, Progress progress, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(Timeout);
        bool load = activity.Operation == ModuleOperation.Load;

        // The descriptor first: it disappears when the loader exits, and the kernel event may arrive just before that.
        ModuleFileLocation? location = activity.Id is { } id && _pinned.TryRemove(id, out ModuleFileLocation? pinned) ? pinned
            : load ? files.Locate(activity) : null;
        try
        {
            if (!_contexts.TryGet(activity.Process, out LoaderContextCache.Entry context))
            {
                LoaderProcess read = loaders.Read(activity.Process, out string? problem);
                context = new LoaderContextCache.Entry(read, read.Pid is int pid ? containers.Detect(pid) : null, problem);
                _contexts.Add(activity.Process, context);
            }

            ModuleActivity a = WithContext(activity, context);
            LoaderProcess loader = a.Process;

            // The command line may only now be known (from /proc or the exec cache): try it if the descriptor failed.
            if (location is { File: null } && !ReferenceEquals(loader.Arguments, activity.Process.Arguments))
            {
                location.Dispose();
                location = files.Locate(a);
            }

            if (location is null)
            {
                return a;
            }

            a = a with
            {
                Module = location.File is null
                    ? a.Module with { FileUnresolvedReason = location.UnresolvedReason }
                    : a.Module with { FilePath = location.Path },
            };
            if (location.File is null)
            {
                return a;
            }

            progress.Publish(a, "module inspection");
            ModuleInspection inspection = inspector.Inspect(location.File, location.Path, limit.Token);
            a = a with { Module = inspection.ApplyTo(a.Module) };
            foreach (string problem in inspection.Problems)
            {
                a = WithUnresolved(a, $"inspection: {problem}");
            }

            return a;
        }
        catch (OperationCanceledException)
        {
            (ModuleActivity partial, string pending) = progress.Snapshot();
            string why = cancellation.IsCancellationRequested ? "cancelled" : $"abandoned after {Timeout.TotalSeconds:0.#} s";
            return WithUnresolved(partial, $"{pending}: {why}");
        }
        finally
        {
            location?.Dispose();
        }
    }

    private static ModuleActivity WithContext(ModuleActivity activity, LoaderContextCache.Entry context)
    {
        ModuleActivity a = activity with { Process = context.Loader, Container = activity.Container ?? context.Container };
        return context.Problem is null ? a : WithUnresolved(a, context.Problem);
    }

    private static ModuleActivity WithUnresolved(ModuleActivity a, string reason) =>
        a with { Unresolved = [.. a.Unresolved ?? [], reason] };

    /// <summary>The latest complete intermediate activity, for a caller whose budget ran out.</summary>
    private sealed class Progress(ModuleActivity initial)
    {
        private (ModuleActivity Activity, string Pending) _state = (initial, "loader context and module file");
        private readonly Lock _lock = new();

        public void Publish(ModuleActivity activity, string pending)
        {
            lock (_lock)
            {
                _state = (activity, pending);
            }
        }

        public (ModuleActivity Activity, string Pending) Snapshot()
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }
}
