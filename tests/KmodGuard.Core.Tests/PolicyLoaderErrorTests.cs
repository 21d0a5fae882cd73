using KmodGuard.Core.Policy;

namespace KmodGuard.Core.Tests;

/// <summary>Every malformed policy fails as a whole, with FILE:LINE:COL and what was expected.</summary>
public class PolicyLoaderErrorTests
{
    private const string Head = "version: 1\nmode: enforce\ndefault: allow\nrules:\n";

    public static TheoryData<string, string, string> Malformed => new()
    {
        // name, document, "line:col: message fragment"
        { "empty document", "", "1:1: the document is empty" },
        { "scalar document", "hello", "1:1: expected a mapping" },
        { "list document", "- a\n- b", "1:1: expected a mapping" },
        { "yaml syntax: unclosed quote", "version: 1\nmode: \"enforce\n", "YAML syntax error" },
        { "yaml syntax: bad indentation", "version: 1\n  mode: enforce\n", "2:7: YAML syntax error" },
        { "missing version", "mode: enforce\ndefault: allow\nrules: []\n", "1:1: missing required key 'version'" },
        { "missing rules", "version: 1\nmode: enforce\ndefault: allow\n", "1:1: missing required key 'rules'" },
        { "wrong version", "version: 2\nmode: enforce\ndefault: allow\nrules: []\n", "1:10: unsupported policy version 2" },
        { "version not a number", "version: one\nmode: enforce\ndefault: allow\nrules: []\n", "1:10: 'version' must be an integer; got 'one'" },
        { "version quoted", "version: \"1\"\nmode: enforce\ndefault: allow\nrules: []\n", "1:10: 'version' must be an integer" },
        { "bad mode", "version: 1\nmode: enforcing\ndefault: allow\nrules: []\n", "2:7: 'mode' must be one of enforce, monitor; got 'enforcing'" },
        { "bad default", "version: 1\nmode: enforce\ndefault: block\nrules: []\n", "3:10: 'default' must be one of allow, deny" },
        { "unknown top-level key", "version: 1\nmode: enforce\ndefault: allow\nrulez: []\nrules: []\n", "4:1: unknown key 'rulez' in the policy (did you mean 'rules'?)" },
        { "duplicate top-level key", "version: 1\nmode: enforce\nmode: monitor\ndefault: allow\nrules: []\n", "3:1: duplicate key 'mode'" },
        { "rules is a mapping", "version: 1\nmode: enforce\ndefault: allow\nrules: {a: 1}\n", "4:8: 'rules' must be a list of rules" },
        { "rule is a scalar", Head + "  - deny-everything\n", "5:5: each rule must be a mapping" },
        { "rule without id", Head + "  - action: deny\n", "5:5: missing required key 'id'" },
        { "rule without action", Head + "  - id: r1\n", "5:5: missing required key 'action'" },
        { "bad action", Head + "  - id: r1\n    action: block\n", "6:13: 'action' must be one of allow, deny, alert; got 'block'" },
        { "bad rule id", Head + "  - id: \"has space\"\n    action: deny\n", "5:9: rule id 'has space' must be 1-128 characters" },
        { "duplicate rule id", Head + "  - id: r1\n    action: deny\n  - id: r1\n    action: allow\n", "7:9: duplicate rule id 'r1' (first used on line 5)" },
        { "unknown rule key", Head + "  - id: r1\n    action: deny\n    whenn: {}\n", "7:5: unknown key 'whenn' in a rule (did you mean 'when'?)" },
        { "kill_loader not bool", Head + "  - id: r1\n    action: deny\n    kill_loader: yes\n", "7:18: 'kill_loader' must be true or false; got 'yes'" },
        { "kill_loader on allow", Head + "  - id: r1\n    action: allow\n    kill_loader: true\n", "7:18: 'kill_loader: true' needs 'action: deny'" },
        { "when is a list", Head + "  - id: r1\n    action: deny\n    when: [a]\n", "7:11: 'when' must be a mapping of conditions" },
        { "unknown condition key", Head + "  - id: r1\n    action: deny\n    when:\n      module.nam: [x]\n", "8:7: unknown key 'module.nam' in 'when' (did you mean 'module.name'?)" },
        { "unknown unless key", Head + "  - id: r1\n    action: deny\n    unless:\n      process: [x]\n", "8:7: unknown key 'process' in 'unless'" },
        { "bad glob: partial double star", Head + "  - id: r1\n    action: deny\n    when:\n      file.path: [\"/tmp/a**\"]\n", "8:19: bad pattern for 'file.path': '**' at offset 6" },
        { "bad glob: triple star", Head + "  - id: r1\n    action: deny\n    when:\n      module.name: \"x***\"\n", "8:20: bad pattern for 'module.name': '***'" },
        { "bad glob: character class", Head + "  - id: r1\n    action: deny\n    when:\n      file.path: [\"/tmp/[ab].ko\"]\n", "8:19: bad pattern for 'file.path': '['" },
        { "empty pattern", Head + "  - id: r1\n    action: deny\n    when:\n      process.name: [\"\"]\n", "8:22: bad pattern for 'process.name': empty pattern" },
        { "bad sha256 length", Head + "  - id: r1\n    action: deny\n    when:\n      file.sha256: [abc]\n", "8:21: 'file.sha256' value \"abc\" is not a SHA-256" },
        { "bad sha256 digits", Head + "  - id: r1\n    action: deny\n    when:\n      file.sha256: [\"" + new string('g', 64) + "\"]\n", "8:21: 'file.sha256' value" },
        { "bad signature word", Head + "  - id: r1\n    action: deny\n    when:\n      signature: [signed]\n", "8:19: 'signature' must be one of signed-trusted, signed-untrusted, invalid, unsigned, unknown; got 'signed'" },
        { "bad platform", Head + "  - id: r1\n    action: deny\n    when:\n      platform: windows\n", "8:17: 'platform' must be one of linux, macos; got 'windows'" },
        { "bad operation", Head + "  - id: r1\n    action: deny\n    when:\n      operation: [insert]\n", "8:19: 'operation' must be one of load, unload, persistence_change" },
        { "user.id not integer", Head + "  - id: r1\n    action: deny\n    when:\n      user.id: [root]\n", "8:17: 'user.id' must be an integer; got 'root'" },
        { "user.id negative", Head + "  - id: r1\n    action: deny\n    when:\n      user.id: [-1]\n", "8:17: 'user.id' must not be negative" },
        { "container not bool", Head + "  - id: r1\n    action: deny\n    when:\n      container: [true]\n", "8:18: 'container' must be true or false; got a list" },
        { "empty list", Head + "  - id: r1\n    action: deny\n    when:\n      module.name: []\n", "8:20: 'module.name' needs at least one value" },
        { "null value", Head + "  - id: r1\n    action: deny\n    when:\n      module.name:\n", "8:19: 'module.name' must be a string" },
        { "nested mapping value", Head + "  - id: r1\n    action: deny\n    when:\n      module.name: {a: b}\n", "8:20: 'module.name' must be a string" },
        { "duplicate condition key", Head + "  - id: r1\n    action: deny\n    when:\n      module.name: [a]\n      module.name: [b]\n", "9:7: duplicate key 'module.name'" },
        { "yaml alias", "version: &v 1\nmode: enforce\ndefault: allow\nrules: []\nx: *v\n", "5:4: YAML aliases are not supported" },
        { "two documents", "version: 1\nmode: enforce\ndefault: allow\nrules: []\n---\nversion: 1\n", "5:1: only one document is allowed" },
        { "json: wrong type", "{\"version\": 1, \"mode\": \"enforce\", \"default\": \"allow\", \"rules\": [{\"id\": \"r\", \"action\": \"deny\", \"when\": {\"user.id\": [\"0\"]}}]}", "1:116: 'user.id' must be an integer" },
        { "json: syntax", "{\"version\": 1,, }", "YAML syntax error" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_policy_fails_with_a_located_message(string name, string document, string expected)
    {
        _ = name;
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(document, "p.yaml"));
        Assert.NotEmpty(e.Errors);
        string all = string.Join("\n", e.Errors.Select(x => x.ToString()));
        // Syntax errors come from YamlDotNet: their exact column is its business, the location must still be there.
        Assert.Contains(char.IsAsciiDigit(expected[0]) ? "p.yaml:" + expected : expected, all, StringComparison.Ordinal);
        Assert.All(e.Errors, x => Assert.True(x.Line >= 1 && x.Column >= 1));
    }

    [Fact]
    public void At_least_25_malformed_policies_are_covered() => Assert.True(Malformed.Count >= 25);

    [Fact]
    public void All_errors_are_reported_not_only_the_first()
    {
        string doc = Head + "  - id: r1\n    action: nope\n  - id: r2\n    action: deny\n    when:\n      user.id: [x]\n";
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(doc, "p.yaml"));
        Assert.Equal(["p.yaml:6:13", "p.yaml:10:17"], e.Errors.Select(x => $"{x.Source}:{x.Line}:{x.Column}"));
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        byte[] bytes = [.. "version: 1\nmode: "u8, 0xC3, 0x28, .. "\n"u8];
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(bytes, "p.yaml"));
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        string doc = "version: 1\nmode: enforce\ndefault: allow\nrules: []\nx: " + new string('[', 5000) + new string(']', 5000) + "\n";
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(doc, "p.yaml"));
        Assert.Contains("nesting deeper than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_located_error()
    {
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadFile("/nonexistent/policy.yaml"));
        Assert.StartsWith("/nonexistent/policy.yaml:1:1: cannot read the policy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_values_are_shortened_and_made_printable_in_messages()
    {
        string doc = Head + "  - id: r1\n    action: \"" + new string('A', 500) + "\\n\\u001b[31m\"\n";
        PolicyLoadException e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.Load(doc, "p.yaml"));
        Assert.DoesNotContain('\n', e.Errors[0].Message);
        Assert.DoesNotContain('\u001b', e.Errors[0].Message);
        Assert.True(e.Errors[0].Message.Length < 200);
    }
}
