using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.Tests.Shared.MacOS;
using static KmodGuard.Tests.Shared.MacOS.FakeEndpointSecurity;

namespace KmodGuard.MacOS.Tests;

/// <summary>
/// The C# host drives the real shim (built against the ES test double): the double plays the kernel, the real Core
/// policy decides, and each test checks the answers ES got, their timing and the decision records.
/// </summary>
[Collection(FakeEsCollection.Name)]
public sealed class EndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static readonly KextMessage AppleLoad = new(AuthKextLoad, "com.apple.driver.AppleHV");

    private static readonly KextMessage UnexpectedLoad = new(AuthKextLoad, "com.evil.rootkit", SigningId: "a.out",
        TeamId: null, Executable: "/private/tmp/loader", PlatformBinary: false, Pid: 666, Uid: 501);

    [SkippableFact]
    public void Allows_a_load_by_apple_kextload_and_blocks_an_unexpected_loader()
    {
        FakeShim.Require();
        var sink = new RecordingSink();
        using (EndpointSecurityGuard guard = EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly(), sink))
        {
            Response apple = WaitResponse(Inject(AppleLoad), Wait)!.Value;
            Response evil = WaitResponse(Inject(UnexpectedLoad), Wait)!.Value;
            Assert.Equal((1, 0), (apple.Responses, apple.Result)); // ES_AUTH_RESULT_ALLOW
            Assert.Equal((1, 1), (evil.Responses, evil.Result));   // ES_AUTH_RESULT_DENY
            Assert.True(apple.MarginNs > 0 && evil.MarginNs > 0, "answered before the deadline");
            Assert.True(evil.LatencyNs < TimeSpan.FromSeconds(1).TotalNanoseconds, $"answered in {evil.LatencyNs} ns");

            var records = sink.WaitFor(2);
            (ModuleActivity a, Decision d) = records[0];
            Assert.Equal((Verdict.Allow, EnforcementAction.None, "allow-apple-kext-loaders"), (d.Verdict, d.Action, d.RuleId));
            Assert.Equal(Platform.MacOS, a.Platform);
            Assert.Equal(ModuleOperation.Load, a.Operation);
            Assert.Equal("com.apple.driver.AppleHV", a.Module.Name);
            var source = Assert.IsType<MacEndpointSecuritySource>(a.Source);
            Assert.Equal(EsEventType.AuthKextLoad, source.EventType);
            Assert.Equal(7u, source.MessageVersion);
            Assert.NotNull(source.GlobalSequenceNumber);
            Assert.InRange(source.DeadlineRemaining!.Value, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));
            Assert.Equal(("com.apple.kextload", true, "/usr/sbin/kextload", "kextload"),
                (a.Process.SigningId, a.Process.PlatformBinary, a.Process.ExecutablePath, a.Process.Name));
            Assert.Equal("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3", a.Process.CdHash);
            Assert.Equal((4242, 0, 501), (a.Process.Pid, a.Process.UserId, a.Process.AuditUserId));

            (ModuleActivity b, Decision e) = records[1];
            Assert.Equal((Verdict.Deny, EnforcementAction.Blocked, "deny-other-kext-loaders"), (e.Verdict, e.Action, e.RuleId));
            Assert.Equal(("com.evil.rootkit", 666, false, null), (b.Module.Name, b.Process.Pid, b.Process.PlatformBinary, b.Process.TeamId));

            EsCounters c = guard.Counters;
            Assert.Equal((2ul, 1ul, 1ul, 0ul), (c.AuthMessages, c.AuthAllowed, c.AuthDenied, c.WatchdogAnswers));
        }

        Assert.Equal("", Violations());
    }

    [SkippableFact]
    public void Monitor_mode_lets_the_load_through_and_records_would_deny()
    {
        FakeShim.Require();
        var sink = new RecordingSink();
        using (EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly("monitor"), sink))
        {
            Assert.Equal(0, WaitResponse(Inject(UnexpectedLoad), Wait)!.Value.Result);
            Decision d = sink.WaitFor(1)[0].Decision;
            Assert.Equal((Verdict.Deny, EnforcementAction.WouldDeny), (d.Verdict, d.Action));
        }

        Assert.Equal("", Violations());
    }

    [SkippableFact]
    public void A_late_decision_is_answered_by_the_watchdog_before_the_deadline_and_recorded_as_such()
    {
        FakeShim.Require();
        using var gate = new ManualResetEventSlim(false);
        var sink = new RecordingSink { Gate = gate }; // holds the worker inside the first record
        var options = new EsClientOptions { FailClosed = true, MinimumHeadroom = TimeSpan.FromMilliseconds(100) };
        using (EndpointSecurityGuard guard = EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly(), sink, options))
        {
            WaitResponse(Inject(AppleLoad), Wait);
            Response late = WaitResponse(Inject(AppleLoad with { Deadline = TimeSpan.FromSeconds(1) }), Wait)!.Value;
            Assert.Equal((1, 1), (late.Responses, late.Result)); // fail closed: deny, though the policy allows
            Assert.InRange(late.MarginNs, TimeSpan.FromMilliseconds(100).TotalNanoseconds, TimeSpan.FromMilliseconds(400).TotalNanoseconds);
            gate.Set();

            Decision d = sink.WaitFor(2)[1].Decision;
            Assert.Equal((Verdict.Allow, EnforcementAction.Blocked), (d.Verdict, d.Action));
            Assert.StartsWith("the decision missed its deadline budget: answered the configured default (deny)", d.Reason, StringComparison.Ordinal);
            Assert.Equal(1ul, guard.Counters.WatchdogAnswers);
        }

        Assert.Equal("", Violations());
    }

    [SkippableFact]
    public void Notify_events_are_recorded_with_action_none_and_a_load_without_authorization_is_flagged()
    {
        FakeShim.Require();
        var sink = new RecordingSink();
        using (EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly(), sink))
        {
            WaitResponse(Inject(AppleLoad), Wait);
            Inject(AppleLoad with { EventType = NotifyKextLoad });                       // follows its AUTH
            Inject(UnexpectedLoad with { EventType = NotifyKextLoad, KextId = "com.sneaky" }); // no AUTH seen
            Inject(AppleLoad with { EventType = NotifyKextUnload });
            var records = sink.WaitFor(4);

            Decision authorized = records[1].Decision;
            Assert.Equal(EnforcementAction.None, authorized.Action);
            Assert.DoesNotContain("without authorization", authorized.Reason, StringComparison.Ordinal);

            Decision sneaky = records[2].Decision;
            Assert.Equal((Verdict.Deny, EnforcementAction.None, Severity.Critical), (sneaky.Verdict, sneaky.Action, sneaky.Severity));
            Assert.StartsWith("loaded without authorization", sneaky.Reason, StringComparison.Ordinal);
            Assert.Equal(EsEventType.NotifyKextLoad, Assert.IsType<MacEndpointSecuritySource>(records[2].Activity.Source).EventType);

            (ModuleActivity unload, Decision unloadDecision) = records[3];
            Assert.Equal((ModuleOperation.Unload, EnforcementAction.None), (unload.Operation, unloadDecision.Action));
        }

        Assert.Equal("", Violations());
    }

    [SkippableFact]
    public void Sequence_gaps_are_counted_as_dropped_events()
    {
        FakeShim.Require();
        using (EndpointSecurityGuard guard = EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly(), new RecordingSink()))
        {
            var unload = new KextMessage(NotifyKextUnload, "com.apple.x");
            Inject(unload);
            Inject(unload with { SeqSkip = 2 });
            Assert.Equal(1, WaitDelivered((long)Wait.TotalNanoseconds));
            Assert.Equal((2ul, 2ul), (guard.Counters.DroppedEvents, guard.Counters.DroppedEventsGlobal));
        }
    }

    [SkippableTheory]
    [InlineData(1, "ERR_INVALID_ARGUMENT")]
    [InlineData(2, "ERR_INTERNAL")]
    [InlineData(3, "com.apple.developer.endpoint-security.client")]
    [InlineData(4, "Full Disk Access")]
    [InlineData(5, "root")]
    [InlineData(6, "TOO_MANY_CLIENTS")]
    public void Each_es_new_client_failure_becomes_an_actionable_error(int result, string advice)
    {
        FakeShim.Require();
        SetNewClientResult(result);
        var ex = Assert.Throws<EsShimException>(() => EndpointSecurityGuard.Start(TestPolicies.AppleLoadersOnly(), new RecordingSink()));
        Assert.Equal(result, ex.Status);
        Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0u, GetStats().LiveClients);
    }

    [SkippableFact]
    public void The_shim_speaks_the_binding_abi()
    {
        FakeShim.Require();
        Assert.Equal(EndpointSecurity.Interop.KgEs.AbiVersion, EndpointSecurity.Interop.EsShimInterop.AbiVersion());
    }
}
