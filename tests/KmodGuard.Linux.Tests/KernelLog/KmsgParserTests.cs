using System.Text;
using CsCheck;
using KmodGuard.Linux.KernelLog;

namespace KmodGuard.Linux.Tests.KernelLog;

public class KmsgParserTests
{
    internal static List<KmsgRecord> Capture()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures/kernel-log/debian-6.1.192-kmsg.txt"));
        var records = new List<KmsgRecord>();
        foreach ((KmsgRecord? record, string? error) in KmsgParser.ParseCapture(text.TrimEnd('\n')))
        {
            Assert.True(record is not null, error);
            records.Add(record);
        }

        return records;
    }

    private static KmsgRecord Parse(string record)
    {
        Assert.True(KmsgParser.TryParse(Encoding.UTF8.GetBytes(record), out KmsgRecord? r, out string? error), error);
        return r;
    }

    [Fact]
    public void Every_record_of_the_real_debian_capture_parses()
    {
        List<KmsgRecord> records = Capture();
        Assert.True(records.Count > 250);
        Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence));
        Assert.All(records, r => Assert.True(r.FromKernel));
    }

    [Fact]
    public void Reads_priority_sequence_time_and_the_message()
    {
        KmsgRecord r = Parse("5,369,2878704,-;dummy: module verification failed: signature and/or required key missing - tainting kernel\n");
        Assert.Equal(0, r.Facility);
        Assert.Equal(5, r.Level);
        Assert.Equal(369UL, r.Sequence);
        Assert.Equal(TimeSpan.FromMicroseconds(2878704), r.SinceBoot);
        Assert.Equal('-', r.Flags);
        Assert.Equal("dummy: module verification failed: signature and/or required key missing - tainting kernel", r.Message);
        Assert.Empty(r.Properties);
    }

    [Fact]
    public void Undoes_the_kernels_escapes_and_keeps_property_lines()
    {
        Assert.Equal("Invalid ELF header magic: != \u007fELF", Parse("3,393,3023544,-;Invalid ELF header magic: != \\x7fELF").Message);
        Assert.Equal("back\\slash and caf\u00e9", Parse("6,1,1,-;back\\x5cslash and caf\\xc3\\xa9").Message);

        KmsgRecord withDevice = KmsgParserTests.Capture().First(r => r.Properties.Count > 0);
        Assert.Equal(["SUBSYSTEM=acpi", "DEVICE=+acpi:PNP0A03:00"], withDevice.Properties);
    }

    [Fact]
    public void Tolerates_extra_prefix_fields_and_user_facilities()
    {
        KmsgRecord r = Parse("14,1200,5140900,-,caller=T1;hello from userspace");
        Assert.Equal(1, r.Facility);
        Assert.Equal(6, r.Level);
        Assert.False(r.FromKernel);
        Assert.Equal("hello from userspace", r.Message);
    }

    [Theory]
    [InlineData("", "no ';'")]
    [InlineData("no prefix here", "no ';'")]
    [InlineData("a,b,c,-;text", "prefix is not")]
    [InlineData("6,1;text", "prefix is not")]
    [InlineData("6,-1,0,-;text", "prefix is not")]
    [InlineData("99999,1,0,-;text", "out of range")]
    [InlineData("6,1,99999999999999999999,-;text", "prefix is not")]
    public void Malformed_records_are_errors_not_exceptions(string record, string expected)
    {
        Assert.False(KmsgParser.TryParse(Encoding.UTF8.GetBytes(record), out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        // Sample's Action overload: any outcome is fine, only an exception fails.
        Gen.Byte.Array[0, 200].Sample(bytes => { _ = KmsgParser.TryParse(bytes, out _, out _); }, iter: 5000);
        Gen.String.Sample(s => Assert.True(KmsgParser.TryParse(Encoding.UTF8.GetBytes("6,1,2,-;" + s), out _, out _)), iter: 2000);
    }
}
