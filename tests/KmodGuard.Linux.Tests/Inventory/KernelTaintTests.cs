using KmodGuard.Linux.Inventory;

namespace KmodGuard.Linux.Tests.Inventory;

public class KernelTaintTests
{
    [Fact]
    public void Decodes_the_documented_example_4609_as_proprietary_warning_out_of_tree()
    {
        KernelTaint taint = KernelTaint.Parse("4609\n")!;
        Assert.Equal("PWO", taint.Letters);
        Assert.Equal([0, 9, 12], taint.Flags.Select(f => f.Bit));
        Assert.Equal("PWO (4609)", taint.ToString());
    }

    [Fact]
    public void Decodes_the_guests_value_after_an_unsigned_out_of_tree_load()
    {
        // 12289 was /proc/sys/kernel/tainted in the Debian guest after loading the unsigned and out-of-tree dummy copies.
        KernelTaint taint = KernelTaint.Parse("12289")!;
        Assert.Equal("POE", taint.Letters);
        Assert.Equal("unsigned module was loaded", taint.Flags[2].Meaning);
    }

    [Fact]
    public void Zero_is_not_tainted_and_unknown_bits_are_named_not_dropped()
    {
        Assert.Equal("not tainted (0)", KernelTaint.Decode(0).ToString());
        KernelTaint future = KernelTaint.Decode(1UL << 40);
        Assert.Equal("?", future.Letters);
        Assert.Contains("bit 40", future.Flags[0].Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999999")]
    public void Text_that_is_not_a_decimal_value_gives_null(string text) => Assert.Null(KernelTaint.Parse(text));

    [Fact]
    public void Module_taint_letters_are_described()
    {
        Assert.Equal(["externally-built (\"out-of-tree\") module was loaded", "unsigned module was loaded"],
            KernelTaint.DescribeLetters("OE").Select(f => f.Meaning));
    }
}
