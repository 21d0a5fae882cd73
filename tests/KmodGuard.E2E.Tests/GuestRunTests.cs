namespace KmodGuard.E2E.Tests;

/// <summary>The results protocol parser, on a sample as the guest's serial port delivers it (CRLF line ends, noise).</summary>
public class GuestRunTests
{
    private const string Sample =
        "\u001b[?7l@@E2E boot release=6.1.0-56-cloud-amd64 agent=yes agent_runs=yes\r\n" +
        "@@E2E begin rmmod-names\r\n" +
        "@@E2E obs rmmod-names rmmod_space_rc 1\r\n" +
        "@@E2E obs rmmod-names agent_wait_timeout \"kmodguard.module.name\":\"evil mod\"\r\n" +
        "@@E2E modules rmmod-names after dummy 16384 0 - Live 0xffffffffc03e6000\r\n" +
        "@@E2E modules rmmod-names empty -\r\n" +
        "@@E2E kmsg rmmod-names [    5.813921] dummy: module verification failed: signature and/or required key missing - tainting kernel\r\n" +
        "@@E2E record rmmod-names {\"kmodguard.operation\":\"unload\",\"kmodguard.module.name\":\"evil mod\"}\r\n" +
        "@@E2E record rmmod-names {\"kmodguard.operation\":\"unl\r\n" +
        "noise from the console\r\n" +
        "@@E2E end rmmod-names\r\n" +
        "@@E2E done\r\n";

    [Fact]
    public void Parses_scenarios_observations_snapshots_kernel_lines_and_records()
    {
        GuestRun run = GuestRun.Parse(Sample, new Dictionary<string, string> { ["RELEASE"] = "6.1.0-56-cloud-amd64" }, "");

        Assert.True(run.Done);
        Assert.True(run.AgentRuns);
        Scenario s = run["rmmod-names"];
        Assert.True(s.Ended);
        Assert.Equal("1", s.Value("rmmod_space_rc"));
        Assert.Equal("\"kmodguard.module.name\":\"evil mod\"", s.Value("agent_wait_timeout"));
        Assert.Equal(["dummy"], s.LoadedAt("after"));
        Assert.Empty(s.LoadedAt("empty"));
        Assert.Single(s.KernelLog);
        Assert.Equal("evil mod", Assert.Single(s.Records).GetProperty("kmodguard.module.name").GetString());
        Assert.Equal(["{\"kmodguard.operation\":\"unl"], s.MalformedRecords);
        Assert.Throws<KeyNotFoundException>(() => run["never-ran"]);
    }

    [Fact]
    public void A_guest_that_stopped_early_is_not_done()
    {
        GuestRun run = GuestRun.Parse("@@E2E boot release=x agent=no agent_runs=no\n@@E2E begin boot\n", new Dictionary<string, string>(), "");
        Assert.False(run.Done);
        Assert.False(run["boot"].Ended);
        Assert.False(run.AgentPresent);
    }
}
