using CsCheck;
using KmodGuard.Linux.Inventory;

namespace KmodGuard.Linux.Tests.Inventory;

public class ProcModulesParserTests
{
    [Fact]
    public void Parses_the_real_debian_lines_with_dependents_and_trailing_commas()
    {
        var errors = new List<string>();
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures/inventory/debian-6.1.192-proc-modules.txt"));
        List<ProcModuleLine> lines = ProcModulesParser.Parse(text, errors);

        Assert.Empty(errors);
        Assert.Equal(["dummy", "bridge", "stp", "llc"], lines.Select(l => l.Name));
        ProcModuleLine llc = lines[3];
        Assert.Equal(16384, llc.Size);
        Assert.Equal(2, llc.RefCount);
        Assert.Equal(["bridge", "stp"], llc.UsedBy);
        Assert.Equal("Live", llc.State);
        Assert.Equal("0xffffffffc0270000", llc.Address);
        Assert.Null(llc.Taints);
        Assert.Empty(lines[0].UsedBy);
    }

    [Fact]
    public void Reads_taints_permanent_modules_no_unload_support_and_zeroed_addresses()
    {
        var errors = new List<string>();
        List<ProcModuleLine> lines = ProcModulesParser.Parse(
            "diamorphine 16384 0 - Live 0x0000000000000000 (OE)\n" +
            "vboxdrv 696320 2 vboxnetadp,[permanent], Live 0x0000000000000000 (O)\n" +
            "nounload 4096 - - Loading 0xffffffffc0000000\n", errors);

        Assert.Empty(errors);
        Assert.Equal("OE", lines[0].Taints);
        Assert.Null(lines[0].Address);
        Assert.True(lines[1].Permanent);
        Assert.Equal(["vboxnetadp", "[permanent]"], lines[1].UsedBy);
        Assert.Null(lines[2].RefCount);
        Assert.Equal("Loading", lines[2].State);
    }

    [Fact]
    public void A_malformed_line_is_reported_by_number_and_the_others_still_count()
    {
        var errors = new List<string>();
        List<ProcModuleLine> lines = ProcModulesParser.Parse(
            "dummy 16384 0 - Live 0xffffffffc02d5000\n" +
            "broken line\n" +
            "big notanumber 0 - Live 0x0\n" +
            "evil\u001bname 1 0 - Live 0x0\n" +
            "odd 1 0 - Live 0x0 OE\n" +
            "llc 16384 2 bridge,stp, Live 0xffffffffc0270000\n", errors);

        Assert.Equal(["dummy", "llc"], lines.Select(l => l.Name));
        Assert.Equal(4, errors.Count);
        Assert.StartsWith("/proc/modules line 2: expected 6 or 7 fields", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("/proc/modules line 3: size 'notanumber'", errors[1], StringComparison.Ordinal);
        Assert.Equal("/proc/modules line 4: 'evil\\x1bname' is not a module name", errors[2]);
        Assert.StartsWith("/proc/modules line 5: taints 'OE' are not in parentheses", errors[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.String[Gen.OneOf(Gen.Char.AlphaNumeric, Gen.Const(' '), Gen.Const('\n'), Gen.Const(','), Gen.Const('('), Gen.Const(')'), Gen.Char), 0, 300]
            .Sample(text =>
            {
                var errors = new List<string>();
                List<ProcModuleLine> lines = ProcModulesParser.Parse(text, errors);
                Assert.All(lines, l => Assert.True(ModuleName.IsValid(l.Name)));
            }, iter: 5000);
    }
}
