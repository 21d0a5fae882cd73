using System.Text;
using KmodGuard.Linux.Audit.Replay;
using KmodGuard.Linux.Tests.Audit.Events;

namespace KmodGuard.Linux.Tests.Audit.Replay;

public sealed class AuditLogReplayTests
{
    [Theory]
    [InlineData("audit.log audit.log.1 audit.log.2", "audit.log.2 audit.log.1 audit.log")]
    [InlineData("audit.log.1 audit.log.10 audit.log.2 audit.log", "audit.log.10 audit.log.2 audit.log.1 audit.log")]
    [InlineData("b.log a.log.1 - a.log", "b.log a.log.1 a.log -")]
    [InlineData("- x.log - x.log.3", "- x.log.3 x.log -")]
    [InlineData("/var/log/audit/audit.log /old/audit.log.1", "/var/log/audit/audit.log /old/audit.log.1")]
    public void Rotated_logs_are_put_in_written_order(string given, string expected)
    {
        Assert.Equal(expected.Split(' '), AuditLogFiles.InWrittenOrder(given.Split(' ')));
    }

    [Fact]
    public void Lines_are_split_on_newlines_with_or_without_a_final_one_and_crlf_tolerated()
    {
        Assert.Equal(["a", "b\r", "", "c"], ReadAll("a\nb\r\n\nc", bufferSize: 4));
        Assert.Equal(["a"], ReadAll("a\n", bufferSize: 4));
        Assert.Empty(ReadAll("", bufferSize: 4));
    }

    [Fact]
    public void A_line_longer_than_the_buffer_is_cut_and_the_next_line_is_intact()
    {
        Assert.Equal(["0123", "ok", "tail"], ReadAll("0123456789\nok\ntail", bufferSize: 4));
        Assert.Equal(["0123", "ok"], ReadAll("01234567\nok", bufferSize: 4));
    }

    [Fact]
    public void Line_numbers_count_every_line()
    {
        var reader = new AuditLogLineReader(new MemoryStream("a\n\nb\n"u8.ToArray()), 4);
        var numbers = new List<long>();
        while (reader.TryReadLine(out _))
        {
            numbers.Add(reader.LineNumber);
        }

        Assert.Equal([1L, 2L, 3L], numbers);
    }

    [Fact]
    public void An_oversized_record_in_a_log_is_reported_and_the_next_one_kept()
    {
        string huge = "type=EXECVE msg=audit(1.000:1): a0=\"" + new string('x', 2 * 1024 * 1024) + "\"";
        var sink = new RecordingSink();
        var replay = new AuditLogReplay(sink);

        replay.Replay("big.log", new MemoryStream(Encoding.UTF8.GetBytes(huge + "\n" + File.ReadAllText(Fixtures.PathOf("sample", "audit.log")))));
        replay.Finish();

        Assert.Equal(Linux.Audit.Records.AuditParseError.TooLong, Assert.Single(sink.Malformed).Error);
        Assert.Equal(7, sink.Activities.Count);
    }

    private static List<string> ReadAll(string text, int bufferSize)
    {
        var reader = new AuditLogLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), bufferSize);
        var lines = new List<string>();
        while (reader.TryReadLine(out ReadOnlySpan<byte> line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }
}
