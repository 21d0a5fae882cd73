using System.Text;
using KmodGuard.MacOS.Configuration;

namespace KmodGuard.MacOS.Tests;

public sealed class SettingsTests
{
    private const string Head = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0">""";

    private static object Parse(string body) => XmlPlist.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Head + body + "</plist>")));

    [Fact]
    public void Reads_every_plist_value_type()
    {
        var d = (Dictionary<string, object>)Parse("""
            <dict><key>s</key><string>a &amp; b</string><key>i</key><integer>-42</integer><key>r</key><real>1.5</real>
            <key>t</key><true/><key>f</key><false/><key>e</key><string/><key>d</key><data>AAEC</data>
            <key>date</key><date>2026-11-28T10:00:00Z</date><key>a</key><array><integer>1</integer><dict/></array></dict>
            """);
        Assert.Equal(("a & b", -42L, 1.5, true, false, ""), (d["s"], d["i"], d["r"], d["t"], d["f"], d["e"]));
        Assert.Equal(new byte[] { 0, 1, 2 }, d["d"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), d["date"]);
        Assert.Equal(2, ((List<object>)d["a"]).Count);
    }

    [Theory]
    [InlineData("<dict><key>a</key></dict>", "expected a value element")]
    [InlineData("<dict><string>x</string></dict>", "expected <key>")]
    [InlineData("<dict><key>a</key><integer>1</integer><key>a</key><integer>2</integer></dict>", "duplicate key 'a'")]
    [InlineData("<integer>12x</integer>", "not a 64-bit integer")]
    [InlineData("<data>!!!</data>", "not base64")]
    [InlineData("<blob/>", "unknown property list element <blob>")]
    [InlineData("<dict><key>a</key><string>unclosed</dict>", "not a well-formed property list")]
    public void Broken_plists_are_a_clear_format_error(string body, string message)
    {
        var e = Assert.Throws<FormatException>(() => Parse(body));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entity_expansion_attack_is_not_expanded()
    {
        string bomb = """<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><plist><string>&b;</string></plist>""";
        Assert.ThrowsAny<FormatException>(() => XmlPlist.Parse(new MemoryStream(Encoding.UTF8.GetBytes(bomb))));
    }

    [Fact]
    public void Settings_keys_are_typed_and_otel_keys_are_collected()
    {
        var values = new Dictionary<string, object>
        {
            ["Policy"] = "version: 1",
            ["FailClosed"] = true,
            ["MinimumHeadroomMilliseconds"] = 1500L,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318",
            ["OTEL_BSP_MAX_QUEUE_SIZE"] = 4096L,
            ["PayloadUUID"] = "ignored",
        };
        ExtensionSettings s = ExtensionSettings.FromDictionary(values, "test");
        Assert.Equal(("version: 1", true, TimeSpan.FromMilliseconds(1500)), (s.Policy, s.FailClosed, s.MinimumHeadroom));
        Assert.Equal(["OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_EXPORTER_OTLP_ENDPOINT"], s.Otel.Keys);
        Assert.Equal("4096", s.Otel["OTEL_BSP_MAX_QUEUE_SIZE"]);
    }

    [Theory]
    [InlineData("FailClosed", "yes", "FailClosed must be a boolean")]
    [InlineData("Policy", 1L, "Policy must be a string")]
    [InlineData("MinimumHeadroomMilliseconds", 0L, "between 1 and 60000")]
    public void A_wrongly_typed_setting_is_named_in_the_error(string key, object value, string message)
    {
        var e = Assert.Throws<FormatException>(() => ExtensionSettings.FromDictionary(new Dictionary<string, object> { [key] = value }, "test"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_managed_preferences_or_a_local_file_the_defaults_apply()
    {
        ExtensionSettings s = ExtensionSettingsLoader.Load("com.example.kmodguard.extension", "/nonexistent/settings.plist");
        Assert.Equal(("built-in defaults", null, false), (s.Source, s.Policy, s.FailClosed));
    }
}
