using System.Text;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;
using NSubstitute;

namespace KmodGuard.Linux.Tests.Audit.Events;

public sealed class AuditEventAssemblerTests
{
    private const int Syscall = 1300, Path = 1302, Cwd = 1307, Execve = 1309, Eoe = 1320, Proctitle = 1327, Sockaddr = 1306;

    /// <summary>go-libaudit reassembler_test.go: max in flight 5, timeout 2 s, then Close (flush).</summary>
    [Theory]
    [InlineData("normal.log")]
    [InlineData("out_of_order.log")]
    public void The_go_libaudit_fixtures_give_five_events_in_order_and_no_loss(string file)
    {
        var (events, lost) = AssembleFixture(file);

        Assert.Equal([58u, 59u, 60u, 61u, 62u], events.Select(e => e.Serial));
        Assert.Equal([2, 5, 5, 4, 1], events.Select(e => e.Types.Length));
        Assert.Empty(lost);
    }

    [Fact]
    public void The_go_libaudit_lost_messages_fixture_reports_nine_lost_serials()
    {
        var (events, lost) = AssembleFixture("lost_messages.log");

        Assert.Equal([49u, 59u, 60u, 61u, 62u], events.Select(e => e.Serial));
        Assert.Equal([(50u, 58u, 9L)], lost);
    }

    [Fact]
    public void The_go_libaudit_rollover_fixture_keeps_order_across_the_u32_wrap_without_loss()
    {
        var (events, lost) = AssembleFixture("rollover.log");

        Assert.Equal([4294967294u, 4294967295u, 0u, 1u, 2u], events.Select(e => e.Serial));
        Assert.Empty(lost);
    }

    [Fact]
    public void Eoe_and_proctitle_complete_an_event_and_a_trailing_eoe_is_not_a_late_record()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), FrozenClock());

        Push(assembler, Syscall, 10);
        Push(assembler, Proctitle, 10);
        Push(assembler, Eoe, 10);
        Push(assembler, Syscall, 11);
        Push(assembler, Sockaddr, 11);
        Push(assembler, Eoe, 11);

        Assert.Equal([(10u, [Syscall, Proctitle], AuditEventCompletion.LastRecord), (11u, [Syscall, Sockaddr], AuditEventCompletion.LastRecord)],
            handler.Events.Select(e => (e.Serial, e.Types, e.Completion)));
        Assert.Equal(0, assembler.LateRecords);
        Assert.Equal(0, assembler.InFlight);
    }

    [Fact]
    public void Interleaved_events_complete_independently_and_at_once()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), FrozenClock());

        Push(assembler, Syscall, 20);
        Push(assembler, Syscall, 21);
        Push(assembler, Execve, 20);
        Push(assembler, Proctitle, 21);
        Push(assembler, Cwd, 20);
        Push(assembler, Proctitle, 20);

        Assert.Equal([21u, 20u], handler.Events.Select(e => e.Serial));
        Assert.Equal([Syscall, Execve, Cwd, Proctitle], handler.Events[1].Types);
    }

    [Fact]
    public void Single_record_types_are_whole_events_and_daemon_serials_are_not_gaps()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), FrozenClock());

        Push(assembler, 1112, 30); // USER_LOGIN
        Push(assembler, 1200, 3493); // DAEMON_START, auditd's numbering
        Push(assembler, 2100, 31); // ANOM_LOGIN_FAILURES
        assembler.Flush();

        Assert.Equal([30u, 3493u, 31u], handler.Events.Select(e => e.Serial));
        Assert.Empty(handler.Lost);
    }

    [Fact]
    public void An_event_without_its_last_record_closes_after_the_timeout()
    {
        var handler = new RecordingAssembledEvents();
        long now = 0;
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions { Timeout = TimeSpan.FromSeconds(2) }, Clock(() => now));

        Push(assembler, Syscall, 40);
        now = 1999;
        assembler.Tick();
        Assert.Empty(handler.Events);

        now = 2000;
        assembler.Tick();
        Assert.Equal([(40u, AuditEventCompletion.TimedOut)], handler.Events.Select(e => (e.Serial, e.Completion)));
        Assert.Equal(1, assembler.TimedOutEvents);

        // A record of that event arriving later is dropped and counted, not made into a new event.
        Push(assembler, Path, 40);
        Assert.Single(handler.Events);
        Assert.Equal(1, assembler.LateRecords);
    }

    [Fact]
    public void Too_many_events_in_flight_evicts_the_oldest()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions { MaxInFlight = 3 }, FrozenClock());

        for (uint s = 1; s <= 5; s++)
        {
            Push(assembler, Syscall, s);
        }

        Assert.Equal([(1u, AuditEventCompletion.Evicted), (2u, AuditEventCompletion.Evicted)], handler.Events.Select(e => (e.Serial, e.Completion)));
        Assert.Equal(3, assembler.InFlight);
        assembler.Flush();
        Assert.Equal([3u, 4u, 5u], handler.Events.Skip(2).Select(e => e.Serial));
        Assert.All(handler.Events.Skip(2), e => Assert.Equal(AuditEventCompletion.Flushed, e.Completion));
    }

    [Fact]
    public void A_serial_that_arrives_late_fills_its_gap_and_only_missing_ones_are_lost()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), FrozenClock());

        foreach (uint s in new uint[] { 100, 103, 101, 106, 105 })
        {
            Push(assembler, Proctitle, s);
        }

        assembler.Flush();

        Assert.Equal([(102u, 102u, 1L), (104u, 104u, 1L)], handler.Lost);
    }

    [Fact]
    public void A_new_numbering_is_not_reported_as_billions_of_lost_events()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), FrozenClock());

        Push(assembler, Proctitle, 5_000_000);
        Push(assembler, Proctitle, 2); // a reboot: numbering starts again
        Push(assembler, Proctitle, 4);
        Push(assembler, Proctitle, 2_000_000_000); // another host's log appended
        assembler.Flush();

        Assert.Equal([(3u, 3u, 1L)], handler.Lost);
    }

    [Fact]
    public void Gaps_are_reported_when_their_deadline_passes()
    {
        var handler = new RecordingAssembledEvents();
        long now = 0;
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions(), Clock(() => now));

        Push(assembler, Proctitle, 1);
        Push(assembler, Proctitle, 5);
        now = 2500;
        assembler.Tick();

        Assert.Equal([(2u, 4u, 3L)], handler.Lost);
    }

    [Fact]
    public void Oversized_events_keep_what_fits_and_count_the_rest()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions { MaxRecordsPerEvent = 3 }, FrozenClock());

        for (int i = 0; i < 5; i++)
        {
            Push(assembler, Path, 7);
        }

        assembler.Flush();

        Assert.Equal(3, handler.Events.Single().Types.Length);
        Assert.Equal(2, assembler.OversizedRecords);
    }

    [Fact]
    public void Replay_timeouts_run_on_the_records_own_timestamps()
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions { UseRecordTime = true }, FrozenClock());

        Push(assembler, Syscall, 1, seconds: 100);
        Push(assembler, Syscall, 2, seconds: 101);
        Assert.Empty(handler.Events);

        Push(assembler, Syscall, 3, seconds: 102);
        Assert.Equal([(1u, AuditEventCompletion.TimedOut)], handler.Events.Select(e => (e.Serial, e.Completion)));
    }

    private static (List<(uint Serial, int[] Types, AuditEventCompletion Completion)> Events, List<(uint, uint, long)> Lost) AssembleFixture(string file)
    {
        var handler = new RecordingAssembledEvents();
        var assembler = new AuditEventAssembler(handler, new AuditAssemblyOptions { MaxInFlight = 5, Timeout = TimeSpan.FromSeconds(2) }, FrozenClock());
        foreach (string line in Fixtures.Lines("reassembler", file))
        {
            Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out AuditRecord record));
            assembler.Push(in record);
        }

        assembler.Flush();
        return (handler.Events, handler.Lost);
    }

    private static void Push(AuditEventAssembler assembler, int type, uint serial, long seconds = 1)
    {
        byte[] payload = Encoding.ASCII.GetBytes($"audit({seconds}.000:{serial}): x=1");
        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseNetlink(type, payload, out AuditRecord record));
        assembler.Push(in record);
    }

    private static TimeProvider FrozenClock() => Clock(() => 0);

    /// <summary>A monotonic clock in milliseconds that reads <paramref name="now"/>.</summary>
    private static TimeProvider Clock(Func<long> now)
    {
        TimeProvider clock = Substitute.For<TimeProvider>();
        clock.TimestampFrequency.Returns(1000L);
        clock.GetTimestamp().Returns(_ => now());
        return clock;
    }
}
