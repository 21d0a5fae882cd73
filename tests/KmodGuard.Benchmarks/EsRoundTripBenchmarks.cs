using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using KmodGuard.Core.Policy;
using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.MacOS.EndpointSecurity.Interop;
using KmodGuard.Tests.Shared.MacOS;
using static KmodGuard.Tests.Shared.MacOS.FakeEndpointSecurity;

namespace KmodGuard.Benchmarks;

/// <summary>
/// One AUTH_KEXTLOAD through the shim built against the ES test double, default policy: the double injects the
/// message, the shim's handler copies it, its worker asks the managed decider, answers, and the double records the
/// answer (and wakes this thread). The peer is the same managed decision called directly, without the native round
/// trip, so the ratio is the shim's overhead. Records=false measures the verdict path alone; Records=true adds the
/// decision record built after each answer (as the extension runs). At the end the double's own per-message timing
/// (injection to answer) gives the median and p99 of every round trip in the run.
/// Needs artifacts/native/lib/libkmodguard_es_fake.so (./build.sh build).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public unsafe class EsRoundTripBenchmarks
{
    private EndpointSecurityGuard? _guard;
    private KextDecider _decider = null!;
    private KgEsEvent _event;
    private Spec* _spec;

    [Params(false, true)]
    public bool Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FakeShimLibrary.Install(typeof(EndpointSecurityGuard).Assembly, typeof(EsRoundTripBenchmarks).Assembly);
        if (FakeShimLibrary.Path is null)
        {
            throw new InvalidOperationException(FakeShimLibrary.MissingReason);
        }

        Reset();
        var policy = new PolicyHolder(DefaultPolicy.Load());
        var sink = Records ? new NullSink() : null;
        _guard = EndpointSecurityGuard.StartCore(policy, sink, new EsClientOptions(), TimeProvider.System);
        _decider = new KextDecider(policy, sink, new EsClientOptions(), TimeProvider.System);
        _event = TestEvents.Make();

        // The message the double injects each time, built once in native memory so injecting allocates nothing.
        _spec = (Spec*)NativeMemory.AllocZeroed((nuint)sizeof(Spec));
        _spec->Version = 7;
        _spec->EventType = AuthKextLoad;
        _spec->DeadlineNs = 10_000_000_000;
        _spec->KextId = Native("com.apple.driver.AppleHV");
        _spec->SigningId = Native("com.apple.kextload");
        _spec->Executable = Native("/usr/sbin/kextload");
        _spec->PlatformBinary = 1;
        _spec->Pid = 4242;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _guard?.Dispose();
        ulong injected = GetStats().Injected;
        var latencies = new List<long>((int)Math.Min(injected, int.MaxValue));
        for (ulong id = 1; id <= injected; id++)
        {
            Response r;
            if (WaitResponse(id, 0, &r) == 1)
            {
                latencies.Add(r.LatencyNs);
            }
        }

        latencies.Sort();
        if (latencies.Count > 0)
        {
            Console.WriteLine($"// round trips (records={Records}): n={latencies.Count} median={latencies[latencies.Count / 2] / 1000.0:F1} us " +
                              $"p99={latencies[(int)(latencies.Count * 0.99)] / 1000.0:F1} us (injection to answer, timed by the test double)");
        }

        Console.WriteLine($"// test double: {Violations()}");
        NativeMemory.Free(_spec->KextId.Data);
        NativeMemory.Free(_spec->SigningId.Data);
        NativeMemory.Free(_spec->Executable.Data);
        NativeMemory.Free(_spec);
        Reset();
    }

    [Benchmark(Baseline = true, Description = "direct managed decision")]
    public uint Direct() => _decider.Decide(in _event);

    [Benchmark(Description = "round trip through the shim")]
    public int RoundTrip()
    {
        ulong id = Inject(_spec);
        Response r;
        return WaitResponse(id, 1_000_000_000, &r) == 1 ? r.Result : -1;
    }

    private static Str Native(string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        byte* p = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return new Str { Data = p, Length = (nuint)bytes.Length };
    }

    private sealed class NullSink : Core.Telemetry.IDecisionSink
    {
        public void Record(Core.Events.ModuleActivity activity, Core.Decisions.Decision decision)
        {
        }
    }
}
