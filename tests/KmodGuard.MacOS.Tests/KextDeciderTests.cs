using KmodGuard.Core.Decisions;
using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.MacOS.EndpointSecurity.Interop;
using KmodGuard.Tests.Shared.MacOS;

namespace KmodGuard.MacOS.Tests;

public sealed class KextDeciderTests
{
    private static KextDecider Decider(RecordingSink sink, string mode = "enforce") =>
        new(TestPolicies.AppleLoadersOnly(mode), sink, new EsClientOptions(), TimeProvider.System);

    [Fact]
    public void Decide_allocates_nothing_once_the_kind_of_event_has_been_seen()
    {
        KextDecider decider = Decider(new RecordingSink());
        KgEsEvent apple = TestEvents.Make();
        KgEsEvent other = TestEvents.Make(signingId: "a.out", executable: "/tmp/x", platformBinary: false);
        decider.Decide(in apple);
        decider.Decide(in other);

        long before = GC.GetAllocatedBytesForCurrentThread();
        uint answers = 0;
        for (int i = 0; i < 10_000; i++)
        {
            apple.Pid = i; // per-event facts the policy does not read do not defeat the cache
            answers += decider.Decide(in apple) + decider.Decide(in other);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000u, answers); // every "other" denied, every Apple load allowed
    }

    [Fact]
    public void Events_that_differ_in_a_policy_fact_are_not_confused_by_the_cache()
    {
        KextDecider decider = Decider(new RecordingSink());
        KgEsEvent apple = TestEvents.Make();
        KgEsEvent notPlatform = TestEvents.Make(platformBinary: false);
        KgEsEvent otherSigner = TestEvents.Make(signingId: "org.example.kextload");
        Assert.Equal(KgEs.Allow, decider.Decide(in apple));
        Assert.Equal(KgEs.Deny, decider.Decide(in notPlatform));
        Assert.Equal(KgEs.Deny, decider.Decide(in otherSigner));
        Assert.Equal(KgEs.Allow, decider.Decide(in apple));
    }

    [Fact]
    public void A_failing_sink_is_counted_and_never_escapes()
    {
        var decider = new KextDecider(TestPolicies.AppleLoadersOnly(), new ThrowingSink(), new EsClientOptions(), TimeProvider.System);
        KgEsEvent e = TestEvents.Make();
        e.Responder = KgEs.ResponderCallback;
        decider.Report(in e);
        Assert.Equal(1ul, decider.Errors);
        Assert.IsType<IOException>(decider.LastError);
    }

    [Fact]
    public void An_allowed_auth_is_consumed_by_one_notify_only()
    {
        var sink = new RecordingSink();
        KextDecider decider = Decider(sink);
        KgEsEvent auth = TestEvents.Make();
        auth.Responder = KgEs.ResponderCallback;
        KgEsEvent loaded = TestEvents.Make(type: KgEs.EventNotifyKextLoad);
        decider.Report(in auth);
        decider.Report(in loaded);
        decider.Report(in loaded);
        var records = sink.WaitFor(3);
        Assert.DoesNotContain("without authorization", records[1].Decision.Reason, StringComparison.Ordinal);
        Assert.StartsWith("loaded without authorization", records[2].Decision.Reason, StringComparison.Ordinal);
        Assert.Equal(Severity.Medium, records[2].Decision.Severity);
    }

    private sealed class ThrowingSink : Core.Telemetry.IDecisionSink
    {
        public void Record(Core.Events.ModuleActivity activity, Decision decision) => throw new IOException("disk full");
    }
}
