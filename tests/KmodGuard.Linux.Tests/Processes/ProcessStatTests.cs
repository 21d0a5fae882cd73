using KmodGuard.Linux.Processes;

namespace KmodGuard.Linux.Tests.Processes;

public class ProcessStatTests
{
    private const string Tail = " 0 0 0 0 0 0 0 0 0 0 0 0 0 20 0 1 0 12345 1000 100";

    [Fact]
    public void A_comm_with_spaces_and_parentheses_parses_from_the_last_parenthesis()
    {
        ProcessStat s = ProcessStat.Parse("4242 (evil ) (x) S 17" + Tail)!;
        Assert.Equal("evil ) (x", s.Comm);
        Assert.Equal('S', s.State);
        Assert.Equal(17, s.ParentPid);
        Assert.Equal(12345ul, s.StartTime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 no parens S 1")]
    [InlineData("4242 (x) S")]
    [InlineData("4242 (x) S notanumber 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")]
    public void A_malformed_line_is_null(string line) => Assert.Null(ProcessStat.Parse(line));

    [Fact]
    public void Our_own_stat_parses()
    {
        ProcessStat s = ProcessStat.Parse(File.ReadAllText($"/proc/{Environment.ProcessId}/stat"))!;
        Assert.Equal(File.ReadAllText($"/proc/{Environment.ProcessId}/comm").TrimEnd('\n'), s.Comm);
        Assert.True(s.ParentPid > 0);
    }
}
