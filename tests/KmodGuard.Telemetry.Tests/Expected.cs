using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;
using KmodGuard.Core.Telemetry;
using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>Checks that the sample decisions arrived in the dashboard exactly as their console JSON lines say.</summary>
internal static class Expected
{
    public static void AllSamplesArrived(IReadOnlyList<DashboardLogRecord> records, int rounds = 1)
    {
        IReadOnlyList<DashboardLogRecord> decisions = [.. records.Where(r => r.EventName == DecisionAttributes.EventName)];
        Assert.Equal(rounds * 4, decisions.Count);
        for (int n = 0; n < rounds; n++)
        {
            foreach ((ModuleActivity a, Decision d) in SampleDecisions.All(n))
            {
                DashboardLogRecord r = Assert.Single(decisions, x => x.Attributes.GetValueOrDefault(AttributeNames.ActivityId) == a.Id);
                Assert.Null(ConsoleLineExpectation.Difference(DecisionRecordWriter.ToJson(a, d), r));
                Assert.Equal("KmodGuard.Decisions", r.Scope);
                Assert.Equal((ulong)(a.EventTime!.Value.ToUnixTimeMilliseconds() * 1_000_000), r.TimeUnixNano);
            }
        }
    }
}
