using System.Text;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Tests.Audit.Records;

public sealed class AuditRecordParserTests
{
    [Fact]
    public void A_netlink_payload_gives_type_from_the_header_timestamp_serial_and_fields()
    {
        byte[] payload = "audit(1795855351.849:18): arch=c000003e syscall=313 success=no exit=-38 comm=\"insmod\" key=\"module-load\""u8.ToArray();

        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseNetlink(1300, payload, out AuditRecord r));

        Assert.Equal(1300, r.Type);
        Assert.Equal(new AuditTimestamp(1795855351, 849), r.Timestamp);
        Assert.Equal(18u, r.Serial);
        Assert.Equal(["arch=c000003e", "syscall=313", "success=no", "exit=-38", "comm=\"insmod\"", "key=\"module-load\""], Fields(r));
        Assert.True(r.Enrichment.IsEmpty);
    }

    [Fact]
    public void An_enriched_log_line_with_a_node_gives_node_type_body_and_enrichment()
    {
        byte[] line = Encoding.UTF8.GetBytes("node=vm type=SYSCALL msg=audit(1795855372.449:29): arch=c000003e syscall=313 key=\"module-load\"\u001dARCH=x86_64 SYSCALL=finit_module\n");

        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseLogLine(line, out AuditRecord r));

        Assert.Equal("vm", Encoding.ASCII.GetString(r.Node));
        Assert.Equal(1300, r.Type);
        Assert.Equal(29u, r.Serial);
        Assert.Equal(["arch=c000003e", "syscall=313", "key=\"module-load\""], Fields(r));
        Assert.Equal("ARCH=x86_64 SYSCALL=finit_module", Encoding.ASCII.GetString(r.Enrichment));
    }

    [Theory]
    [InlineData("type=EOE msg=audit(1795855351.845:14): ", 1320, 0)]
    [InlineData("type=CWD msg=audit(1492037291.036:59):  cwd=\"/home/andrew_kroh\"", 1307, 1)]
    [InlineData("type=UNKNOWN[1338] msg=audit(1.000:1): a=b", 1338, 1)]
    [InlineData("type=APPARMOR msg=audit(1.000:1): a=b", 1500, 1)]
    [InlineData("type=KERN_MODULE msg=audit(1651071579.835:2028): name=\"arp_tables\"", 1330, 1)]
    [InlineData("type=USER_CMD msg=audit(1.5:7): pid=1 msg='cwd=\"/\" cmd=6C73 res=success'", 1123, 2)]
    public void Log_lines_of_every_kind_parse(string line, int type, int fieldCount)
    {
        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out AuditRecord r));
        Assert.Equal(type, r.Type);
        Assert.Equal(fieldCount, Fields(r).Count);
    }

    [Fact]
    public void A_fraction_with_fewer_or_more_than_three_digits_is_read_as_milliseconds()
    {
        AuditRecordParser.TryParseNetlink(1300, "audit(10.5:1): "u8, out AuditRecord shortFraction);
        AuditRecordParser.TryParseNetlink(1300, "audit(10.123456:1): "u8, out AuditRecord longFraction);

        Assert.Equal(500, shortFraction.Timestamp.Milliseconds);
        Assert.Equal(123, longFraction.Timestamp.Milliseconds);
    }

    [Fact]
    public void The_largest_serial_parses_and_one_more_is_refused()
    {
        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseNetlink(1300, "audit(1.000:4294967295): x=1"u8, out AuditRecord r));
        Assert.Equal(uint.MaxValue, r.Serial);
        Assert.Equal(AuditParseError.BadSerial, AuditRecordParser.TryParseNetlink(1300, "audit(1.000:4294967296): x=1"u8, out _));
    }

    [Theory]
    [InlineData("", nameof(AuditParseError.MissingType))]
    [InlineData("garbage", nameof(AuditParseError.MissingType))]
    [InlineData("type=NOSUCHTYPE msg=audit(1.0:1): a=b", nameof(AuditParseError.UnknownTypeName))]
    [InlineData("type=SYSCALL", nameof(AuditParseError.MissingHeader))]
    [InlineData("type=SYSCALL msg=foo", nameof(AuditParseError.MissingHeader))]
    [InlineData("type=SYSCALL msg=audit(abc:1): a=b", nameof(AuditParseError.BadTimestamp))]
    [InlineData("type=SYSCALL msg=audit(1.:1): a=b", nameof(AuditParseError.BadTimestamp))]
    [InlineData("type=SYSCALL msg=audit(1150795855351845.123:1): a=b", nameof(AuditParseError.BadTimestamp))]
    [InlineData("type=SYSCALL msg=audit(1.0:): a=b", nameof(AuditParseError.BadSerial))]
    [InlineData("type=SYSCALL msg=audit(1.0:-1): a=b", nameof(AuditParseError.BadSerial))]
    [InlineData("type=SYSCALL msg=audit(1.0:1 a=b", nameof(AuditParseError.UnterminatedHeader))]
    [InlineData("node=vm", nameof(AuditParseError.MissingType))]
    public void Malformed_lines_are_refused_with_the_reason(string line, string error)
    {
        Assert.Equal(error, AuditRecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out _).ToString());
    }

    [Fact]
    public void Records_longer_than_any_real_record_are_refused()
    {
        byte[] huge = Encoding.ASCII.GetBytes("audit(1.000:1): a=" + new string('x', AuditRecordParser.MaxRecordLength));
        Assert.Equal(AuditParseError.TooLong, AuditRecordParser.TryParseNetlink(1300, huge, out _));
    }

    [Fact]
    public void A_netlink_payload_with_a_trailing_nul_or_newline_still_parses()
    {
        Assert.Equal(AuditParseError.None, AuditRecordParser.TryParseNetlink(1327, "audit(1.000:2): proctitle=\"bash\"\0"u8, out AuditRecord r));
        Assert.Equal(["proctitle=\"bash\""], Fields(r));
    }

    [Fact]
    public void Bare_words_are_skipped_and_quoted_values_keep_their_spaces()
    {
        AuditRecordParser.TryParseNetlink(1400, "audit(1.0:3): avc:  denied  { read } for  pid=5 comm=\"a\" msg='op=x res=1' saddr={ a=b } name=\"unterminated"u8, out AuditRecord r);

        Assert.Equal(["pid=5", "comm=\"a\"", "msg='op=x res=1'", "saddr={ a=b }", "name=\"unterminated"], Fields(r));
    }

    [Fact]
    public void Every_record_of_the_captures_and_the_distribution_logs_parses()
    {
        string[] logs =
        [
            Fixtures.PathOf("captures-6.18", "auditd-3.0.9-enriched.log"),
            Fixtures.PathOf("sample", "audit.log"),
            .. Directory.GetFiles(Fixtures.PathOf("auparse"), "*.log"),
            .. Directory.GetFiles(Fixtures.PathOf("reassembler"), "*.log"),
        ];
        foreach (string log in logs)
        {
            foreach (string line in File.ReadLines(log).Where(l => l.Length > 0))
            {
                AuditParseError error = AuditRecordParser.TryParseLogLine(Encoding.UTF8.GetBytes(line), out _);
                Assert.True(error is AuditParseError.None or AuditParseError.BinaryRecord, $"{log}: {error}: {line}");
            }
        }
    }

    private static List<string> Fields(AuditRecord r)
    {
        var fields = new List<string>();
        foreach (AuditField f in r.Fields)
        {
            fields.Add(Encoding.UTF8.GetString(f.Name) + "=" + Encoding.UTF8.GetString(f.RawValue));
        }

        return fields;
    }
}
