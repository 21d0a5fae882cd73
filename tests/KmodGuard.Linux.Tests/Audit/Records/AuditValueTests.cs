using System.Text;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Tests.Audit.Records;

public sealed class AuditValueTests
{
    [Theory]
    [InlineData("\"insmod\"", "insmod")]
    [InlineData("6576696C206C6F61646572", "evil loader")]
    [InlineData("2F62696E2F62757379626F78206576696C", "/bin/busybox evil")]
    [InlineData("\"3005\"", "3005")]
    [InlineData("(null)", null)]
    [InlineData("(none)", null)]
    [InlineData("", null)]
    [InlineData("6576696c", "6576696c")]
    [InlineData("ABC", "ABC")]
    [InlineData("pts0", "pts0")]
    public void Encoded_values_decode_as_the_kernel_encodes_them(string raw, string? text)
    {
        Assert.Equal(text, AuditValue.DecodeToString(Encoding.UTF8.GetBytes(raw)));
    }

    [Fact]
    public void Several_keys_in_one_key_field_are_joined_by_commas()
    {
        Assert.Equal("module-load,extra", AuditValue.DecodeKey(Encoding.ASCII.GetBytes(Convert.ToHexString("module-load\u0001extra"u8))));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_kept_visibly_and_the_original_can_be_recovered()
    {
        byte[] raw = [0x2F, 0x74, 0x6D, 0x70, 0x2F, 0xFF, 0xC3, 0x5C, 0xC3, 0xA9, 0x0A];

        string text = AuditValue.ToPrintableString(raw);

        Assert.Equal("/tmp/\\xFF\\xC3\\\\é\n", text);
        Assert.Equal(raw, EscapedText.ToBytes(text, escaped: true));
    }

    [Fact]
    public void Valid_utf8_is_returned_unchanged_even_with_backslashes()
    {
        Assert.Equal("C:\\x é", AuditValue.ToPrintableString(Encoding.UTF8.GetBytes("C:\\x é")));
    }

    [Theory]
    [InlineData("4294967295", null)]
    [InlineData("-1", null)]
    [InlineData("1000", 1000L)]
    [InlineData("unset", null)]
    public void Unset_ids_are_null(string raw, long? id)
    {
        Assert.Equal(id, AuditValue.ParseId(Encoding.ASCII.GetBytes(raw)));
    }
}
