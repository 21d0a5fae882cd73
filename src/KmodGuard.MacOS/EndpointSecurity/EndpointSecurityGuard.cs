using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Telemetry;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>
/// KmodGuard's Endpoint Security client: authorizes kext loads (AUTH_KEXTLOAD) with the policy in force and records
/// every load and unload to the sink. Start and dispose it on the same thread (ES requires es_delete_client on
/// the thread that created the client). No callback runs after <see cref="Dispose"/> returns.
/// </summary>
public sealed unsafe class EndpointSecurityGuard : IDisposable
{
    private readonly KextDecider _decider;
    private GCHandle _handle;
    private nint _client;
    private EsCounters? _final;

    private EndpointSecurityGuard(KextDecider decider) => _decider = decider;

    /// <exception cref="EsShimException">The client could not start; the message says what to fix.</exception>
    public static EndpointSecurityGuard Start(PolicyHolder policy, IDecisionSink sink, EsClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return StartCore(policy, sink, options, time);
    }

    /// <summary>As <see cref="Start"/>; a null sink records nothing (for measuring the verdict path alone).</summary>
    internal static EndpointSecurityGuard StartCore(PolicyHolder policy, IDecisionSink? sink, EsClientOptions? options, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        options ??= new EsClientOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BudgetPercent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BudgetPercent, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinimumHeadroom, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPending, 1);

        uint abi = EsShimInterop.AbiVersion();
        if (abi != KgEs.AbiVersion)
        {
            throw new EsShimException(0, $"the kmodguard_es shim speaks ABI {abi}, this build expects {KgEs.AbiVersion}: rebuild both together");
        }

        var guard = new EndpointSecurityGuard(new KextDecider(policy, sink, options, time ?? TimeProvider.System));
        guard._handle = GCHandle.Alloc(guard._decider);
        var config = new KgEsConfig
        {
            StructSize = (uint)sizeof(KgEsConfig),
            FailClosed = options.FailClosed ? 1u : 0u,
            MuteSelf = options.MuteSelf ? 1u : 0u,
            BudgetPercent = (uint)options.BudgetPercent,
            MinHeadroomNs = options.MinimumHeadroom.Ticks * 100,
            MaxPending = (uint)options.MaxPending,
        };
        nint client;
        int status = EsShimInterop.Start(&config, &OnDecide, &OnNotify, GCHandle.ToIntPtr(guard._handle), &client);
        if (status != 0)
        {
            guard._handle.Free();
            throw new EsShimException(status, StatusMessage(status));
        }

        guard._client = client;
        return guard;
    }

    public EsCounters Counters => _final ?? ReadCounters();

    /// <summary>The last exception inside a decision or record (they are answered with the default and counted).</summary>
    public Exception? LastManagedError => _decider.LastError;

    public void Dispose()
    {
        if (_client == 0)
        {
            return;
        }

        _final = ReadCounters();
        nint client = _client;
        _client = 0;
        // Answers what is pending and joins the shim's threads; a failing es_delete_client leaves nothing to undo.
        _ = EsShimInterop.Stop(client);
        _handle.Free();
    }

    internal static string StatusMessage(int status) =>
        Marshal.PtrToStringUTF8((nint)EsShimInterop.StatusMessage(status)) ?? $"kmodguard_es status {status}";

    private EsCounters ReadCounters()
    {
        KgEsCounters c;
        EsShimInterop.GetCounters(_client, &c);
        return new EsCounters
        {
            Messages = c.Messages,
            AuthMessages = c.AuthMessages,
            NotifyMessages = c.NotifyMessages,
            AuthAllowed = c.AuthAllowed,
            AuthDenied = c.AuthDenied,
            WatchdogAnswers = c.WatchdogAnswers,
            ShimAnswers = c.ShimAnswers,
            LateCallbacks = c.LateCallbacks,
            RespondErrors = c.RespondErrors,
            DroppedEvents = c.DroppedSeq,
            DroppedEventsGlobal = c.DroppedGlobalSeq,
            ManagedErrors = _decider.Errors,
        };
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static uint OnDecide(nint context, KgEsEvent* e) =>
        Unsafe.As<KextDecider>(GCHandle.FromIntPtr(context).Target!).Decide(in *e);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnNotify(nint context, KgEsEvent* e) =>
        Unsafe.As<KextDecider>(GCHandle.FromIntPtr(context).Target!).Report(in *e);
}
