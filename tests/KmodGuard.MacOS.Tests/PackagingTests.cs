using System.Diagnostics;
using KmodGuard.Core.Policy;
using KmodGuard.MacOS.Configuration;

namespace KmodGuard.MacOS.Tests;

/// <summary>
/// The deployment artefacts as shipped (packaging/macos, entitlements): every plist and profile parses, has the keys
/// macOS and MDM require, and every bundle id, team id and code requirement agrees with packaging/macos/settings.conf.
/// </summary>
public sealed class PackagingTests
{
    private static readonly string Root = AppContext.BaseDirectory;
    private static readonly Identity Id = Identity.Read(Path.Combine(Root, "packaging/macos/settings.conf"));

    public static TheoryData<string> PlistFiles() => [.. PlistPaths()];

    private static IEnumerable<string> PlistPaths()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(Root, "packaging/macos"), "*", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Path.Combine(Root, "entitlements")))
                     .Where(f => f.EndsWith(".plist", StringComparison.Ordinal) || f.EndsWith(".mobileconfig", StringComparison.Ordinal)
                                 || f.EndsWith(".entitlements", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(Root, file);
        }
    }

    [Theory]
    [MemberData(nameof(PlistFiles))]
    public void Every_plist_parses_to_a_dictionary(string file) =>
        Assert.IsType<Dictionary<string, object>>(XmlPlist.ParseFile(Path.Combine(Root, file)));

    [SkippableTheory]
    [MemberData(nameof(PlistFiles))]
    public void Every_plist_survives_a_binary_round_trip_through_plistutil(string file)
    {
        Skip.If(Which("plistutil") is null, "plistutil is not installed (Debian: libplist-utils)");
        string bin = Path.GetTempFileName(), xml = Path.GetTempFileName();
        try
        {
            Assert.Equal(0, Run("plistutil", "-i", Path.Combine(Root, file), "-f", "bin", "-o", bin));
            Assert.Equal(0, Run("plistutil", "-i", bin, "-f", "xml", "-o", xml));
            Assert.Equal(Flatten(XmlPlist.ParseFile(Path.Combine(Root, file))), Flatten(XmlPlist.ParseFile(xml)));
        }
        finally
        {
            File.Delete(bin);
            File.Delete(xml);
        }
    }

    [Fact]
    public void The_extension_info_plist_declares_a_system_extension_named_after_its_bundle_id()
    {
        Dictionary<string, object> p = Dict("packaging/macos/Extension-Info.plist");
        Assert.Equal("SYSX", p["CFBundlePackageType"]);
        Assert.Equal(Id.ExtensionId, p["CFBundleIdentifier"]);
        Assert.Equal(Id.ExtensionId, p["CFBundleExecutable"]);
        Assert.False(string.IsNullOrWhiteSpace((string)p["NSSystemExtensionUsageDescription"]));
        Assert.Equal("12.0", p["LSMinimumSystemVersion"]);
        Assert.IsType<bool>(p["NSEndpointSecurityEarlyBoot"]);
    }

    [Fact]
    public void The_app_info_plist_is_the_container_app()
    {
        Dictionary<string, object> p = Dict("packaging/macos/App-Info.plist");
        Assert.Equal("APPL", p["CFBundlePackageType"]);
        Assert.Equal(Id.AppId, p["CFBundleIdentifier"]);
        Assert.False(string.IsNullOrWhiteSpace((string)p["NSSystemExtensionUsageDescription"]));
    }

    [Fact]
    public void Entitlements_grant_endpoint_security_to_the_extension_and_extension_install_to_the_app()
    {
        Dictionary<string, object> ext = Dict("entitlements/KmodGuard.Extension.entitlements");
        Assert.Equal(true, ext["com.apple.developer.endpoint-security.client"]);
        Assert.Equal($"{Id.TeamId}.{Id.ExtensionId}", ext["com.apple.application-identifier"]);
        Assert.Equal(Id.TeamId, ext["com.apple.developer.team-identifier"]);
        Assert.False(ext.ContainsKey("com.apple.developer.system-extension.install"));

        Dictionary<string, object> app = Dict("entitlements/KmodGuard.App.entitlements");
        Assert.Equal(true, app["com.apple.developer.system-extension.install"]);
        Assert.Equal($"{Id.TeamId}.{Id.AppId}", app["com.apple.application-identifier"]);
        Assert.Equal(Id.TeamId, app["com.apple.developer.team-identifier"]);
        Assert.False(app.ContainsKey("com.apple.developer.endpoint-security.client"));
    }

    [Fact]
    public void Every_profile_is_a_system_scoped_configuration_with_unique_payload_uuids_and_identifiers()
    {
        var uuids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Profiles())
        {
            Dictionary<string, object> profile = Dict(file);
            Assert.Equal("Configuration", profile["PayloadType"]);
            Assert.Equal("System", profile["PayloadScope"]);
            Assert.Equal(1L, profile["PayloadVersion"]);
            Assert.StartsWith(Id.AppId + ".", (string)profile["PayloadIdentifier"], StringComparison.Ordinal);
            foreach (Dictionary<string, object> payload in new[] { profile }.Concat(Payloads(profile)))
            {
                string uuid = (string)payload["PayloadUUID"];
                Assert.True(Guid.TryParseExact(uuid, "D", out _), $"{file}: PayloadUUID {uuid} is not a UUID");
                Assert.True(uuids.Add(uuid), $"{file}: PayloadUUID {uuid} is used twice");
                Assert.True(identifiers.Add((string)payload["PayloadIdentifier"]), $"{file}: PayloadIdentifier used twice");
                Assert.Equal(1L, payload["PayloadVersion"]);
                Assert.IsType<string>(payload["PayloadType"]);
            }
        }

        Assert.Equal(4, Profiles().Count());
    }

    [Fact]
    public void The_system_extension_policy_allows_exactly_our_endpoint_security_extension_and_keeps_it()
    {
        Dictionary<string, object> p = Payload("com.apple.system-extension-policy");
        Assert.Equal([Id.ExtensionId], TeamList(p, "AllowedSystemExtensions"));
        Assert.Equal(["EndpointSecurityExtension"], TeamList(p, "AllowedSystemExtensionTypes"));
        Assert.Equal([Id.ExtensionId], TeamList(p, "NonRemovableSystemExtensions"));
        Assert.False(p.ContainsKey("RemovableSystemExtensions"), "an extension may not be both removable and non-removable");
        Assert.False(p.ContainsKey("AllowedTeamIdentifiers"), "a team allowed by extension must not also be allowed whole");
    }

    [Fact]
    public void Full_disk_access_goes_to_the_extension_with_its_developer_id_code_requirement()
    {
        Dictionary<string, object> p = Payload("com.apple.TCC.configuration-profile-policy");
        var services = (Dictionary<string, object>)p["Services"];
        var entry = Assert.IsType<Dictionary<string, object>>(Assert.Single((List<object>)services["SystemPolicyAllFiles"]));
        Assert.Equal(Id.ExtensionId, entry["Identifier"]);
        Assert.Equal("bundleID", entry["IdentifierType"]);
        Assert.Equal(Id.CodeRequirement, entry["CodeRequirement"]);
        Assert.Equal(true, entry["Allowed"]);
        Assert.False(entry.ContainsKey("Authorization"), "Allowed and Authorization are mutually exclusive");
    }

    [Fact]
    public void Managed_login_items_approve_our_team()
    {
        Dictionary<string, object> p = Payload("com.apple.servicemanagement");
        var rule = (Dictionary<string, object>)Assert.Single((List<object>)p["Rules"]);
        Assert.Equal(("TeamIdentifier", Id.TeamId), (rule["RuleType"], rule["RuleValue"]));
    }

    [Fact]
    public void The_settings_payload_targets_the_extension_domain_and_its_policy_and_otlp_settings_load()
    {
        Dictionary<string, object> p = Payload(Id.ExtensionId);
        ExtensionSettings settings = ExtensionSettings.FromDictionary(p, "profile");
        Assert.False(settings.FailClosed);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.MinimumHeadroom);
        Assert.StartsWith("https://", settings.Otel["OTEL_EXPORTER_OTLP_ENDPOINT"], StringComparison.Ordinal);
        Assert.Equal("http/protobuf", settings.Otel["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var policy = PolicyLoader.Load(settings.Policy!, "profile:Policy");
        Assert.Contains(policy.Rules, r => r.Id == "deny-other-kext-loaders");
    }

    [Fact]
    public void No_artefact_names_a_team_or_bundle_prefix_other_than_the_settings_file()
    {
        foreach (string file in PlistPaths())
        {
            foreach (string text in Strings(XmlPlist.ParseFile(Path.Combine(Root, file))))
            {
                if (text.StartsWith("com.", StringComparison.Ordinal) && text.Contains("kmodguard", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.StartsWith(Id.AppId, text, StringComparison.Ordinal);
                }
            }
        }
    }

    [SkippableFact]
    public void The_packaging_script_refuses_to_run_on_linux_with_a_clear_message()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the refusal is for Linux");
        var info = new ProcessStartInfo("bash", [Path.Combine(Root, "packaging/macos/build-sign-notarize.sh")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using Process p = Process.Start(info)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("runs on macOS only", error, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Profiles() =>
        Directory.GetFiles(Path.Combine(Root, "packaging/macos/profiles"), "*.mobileconfig").Order(StringComparer.Ordinal);

    private static Dictionary<string, object> Dict(string file) => (Dictionary<string, object>)XmlPlist.ParseFile(Path.Combine(Root, file));

    private static IEnumerable<Dictionary<string, object>> Payloads(Dictionary<string, object> profile) =>
        ((List<object>)profile["PayloadContent"]).Cast<Dictionary<string, object>>();

    private static Dictionary<string, object> Payload(string type) =>
        Assert.Single(Profiles().SelectMany(f => Payloads(Dict(f))), p => (string)p["PayloadType"] == type);

    private static List<string> TeamList(Dictionary<string, object> payload, string key)
    {
        var byTeam = (Dictionary<string, object>)payload[key];
        Assert.Equal([Id.TeamId], byTeam.Keys);
        return ((List<object>)byTeam[Id.TeamId]).Cast<string>().ToList();
    }

    private static IEnumerable<string> Strings(object value) => value switch
    {
        string s => [s],
        Dictionary<string, object> d => d.Keys.Concat(d.Values.SelectMany(Strings)),
        List<object> l => l.SelectMany(Strings),
        _ => [],
    };

    private static string Flatten(object value) => value switch
    {
        Dictionary<string, object> d => "{" + string.Join(",", d.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Flatten(p.Value))) + "}",
        List<object> l => "[" + string.Join(",", l.Select(Flatten)) + "]",
        _ => $"{value.GetType().Name}:{value}",
    };

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static int Run(string tool, params string[] args)
    {
        using Process p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }

    /// <summary>packaging/macos/settings.conf: the one team id and bundle id prefix everything derives from.</summary>
    private sealed record Identity(string TeamId, string AppId)
    {
        public string ExtensionId => AppId + ".extension";

        public string CodeRequirement =>
            $"identifier \"{ExtensionId}\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ " +
            $"and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = {TeamId}";

        public static Identity Read(string path)
        {
            Dictionary<string, string> values = File.ReadAllLines(path)
                .Where(l => l.Length > 0 && l[0] != '#' && l.Contains('=', StringComparison.Ordinal))
                .Select(l => l.Split('=', 2))
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.Ordinal);
            return new Identity(values["TEAM_ID"], values["BUNDLE_ID_PREFIX"]);
        }
    }
}
