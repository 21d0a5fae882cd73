using System.Globalization;
using KmodGuard.Core.Decisions;
using KmodGuard.Core.Policy.Glob;
using KmodGuard.Core.Policy.Yaml;

namespace KmodGuard.Core.Policy;

/// <summary>
/// Validates a parsed document against the policy language and builds a <see cref="PolicyDefinition"/>.
/// Collects every error it can find, each with its line and column, instead of stopping at the first.
/// </summary>
internal sealed class PolicyParser : YamlDocumentParser
{
    private static readonly string[] TopLevelKeys = ["version", "mode", "default", "rules", "lock_after_baseline"];
    private static readonly string[] RuleKeys = ["id", "description", "action", "kill_loader", "when", "unless"];
    private static readonly string[] ModeWords = ["enforce", "monitor"];
    private static readonly string[] VerdictWords = ["allow", "deny"];
    private static readonly string[] ActionWords = ["allow", "deny", "alert"];

    private const int MaxIdLength = 128;

    private readonly List<PolicyError> _errors;

    private PolicyParser(string source, List<PolicyError> errors)
        : base(source, errors)
    {
        _errors = errors;
    }

    internal static PolicyDefinition? Parse(string text, string source, List<PolicyError> errors)
    {
        YamlNode? root = YamlTreeReader.Read(text, source, errors);
        if (root is null && errors.Count == 0)
        {
            errors.Add(new PolicyError(source, 1, 1, "the document is empty; expected a mapping with 'version', 'mode', 'default' and 'rules'"));
        }

        return root is null ? null : new PolicyParser(source, errors).ParseDocument(root);
    }

    private PolicyDefinition? ParseDocument(YamlNode root)
    {
        if (root is not YamlMapping map)
        {
            Error(root, "expected a mapping with 'version', 'mode', 'default' and 'rules'");
            return null;
        }

        int? version = null;
        PolicyMode? mode = null;
        Verdict? defaultVerdict = null;
        bool lockAfterBaseline = false;
        List<RuleDefinition>? rules = null;
        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    if (ExpectInteger(value, "version") is int v)
                    {
                        if (v != 1)
                        {
                            Error(value, $"unsupported policy version {v}; expected 1");
                        }
                        else
                        {
                            version = v;
                        }
                    }

                    break;
                case "mode":
                    mode = ExpectWord(value, "mode", ModeWords) switch
                    {
                        "enforce" => PolicyMode.Enforce,
                        "monitor" => PolicyMode.Monitor,
                        _ => null,
                    };
                    break;
                case "default":
                    defaultVerdict = ExpectWord(value, "default", VerdictWords) switch
                    {
                        "allow" => Verdict.Allow,
                        "deny" => Verdict.Deny,
                        _ => null,
                    };
                    break;
                case "lock_after_baseline":
                    lockAfterBaseline = ExpectBoolean(value, "lock_after_baseline") ?? false;
                    break;
                case "rules":
                    rules = ParseRules(value);
                    break;
                default:
                    UnknownKey(key, "the policy", TopLevelKeys);
                    break;
            }
        }

        Missing(map, "version", version is not null || HasKey(map, "version"));
        Missing(map, "mode", mode is not null || HasKey(map, "mode"));
        Missing(map, "default", defaultVerdict is not null || HasKey(map, "default"));
        Missing(map, "rules", rules is not null || HasKey(map, "rules"));

        return _errors.Count > 0 || version is null || mode is null || defaultVerdict is null || rules is null
            ? null
            : new PolicyDefinition(version.Value, mode.Value, defaultVerdict.Value, lockAfterBaseline, rules);
    }

    private List<RuleDefinition>? ParseRules(YamlNode node)
    {
        if (node is not YamlSequence seq)
        {
            // An empty "rules:" is a null scalar: accept it as no rules.
            if (node is YamlScalar { Plain: true } s && IsNull(s.Value))
            {
                return [];
            }

            Error(node, "'rules' must be a list of rules");
            return null;
        }

        var rules = new List<RuleDefinition>(seq.Items.Count);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (YamlNode item in seq.Items)
        {
            RuleDefinition? rule = ParseRule(item);
            if (rule is null)
            {
                continue;
            }

            if (ids.TryGetValue(rule.Id, out int firstLine))
            {
                Error(((YamlMapping)item).Entries.First(e => e.Key.Value == "id").Value, $"duplicate rule id '{rule.Id}' (first used on line {firstLine})");
                continue;
            }

            ids.Add(rule.Id, rule.Line);
            rules.Add(rule);
        }

        return rules;
    }

    private RuleDefinition? ParseRule(YamlNode node)
    {
        if (node is not YamlMapping map)
        {
            Error(node, "each rule must be a mapping with at least 'id' and 'action'");
            return null;
        }

        int errorsBefore = _errors.Count;
        string? id = null;
        string? description = null;
        RuleAction? action = null;
        bool killLoader = false;
        IReadOnlyList<ConditionDefinition> when = [];
        IReadOnlyList<ConditionDefinition> unless = [];
        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            switch (key.Value)
            {
                case "id":
                    id = ExpectString(value, "id");
                    if (id is not null && !IsValidId(id))
                    {
                        Error(value, $"rule id '{id}' must be 1-{MaxIdLength} characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
                    }

                    break;
                case "description":
                    description = ExpectString(value, "description");
                    break;
                case "action":
                    action = ExpectWord(value, "action", ActionWords) switch
                    {
                        "allow" => RuleAction.Allow,
                        "deny" => RuleAction.Deny,
                        "alert" => RuleAction.Alert,
                        _ => null,
                    };
                    break;
                case "kill_loader":
                    killLoader = ExpectBoolean(value, "kill_loader") ?? false;
                    break;
                case "when":
                    when = ParseConditions(value, "when");
                    break;
                case "unless":
                    unless = ParseConditions(value, "unless");
                    break;
                default:
                    UnknownKey(key, "a rule", RuleKeys);
                    break;
            }
        }

        Missing(map, "id", HasKey(map, "id"));
        Missing(map, "action", HasKey(map, "action"));
        if (killLoader && action is not RuleAction.Deny && action is not null)
        {
            Error(map.Entries.First(e => e.Key.Value == "kill_loader").Value, "'kill_loader: true' needs 'action: deny'");
        }

        return _errors.Count > errorsBefore || id is null || action is null
            ? null
            : new RuleDefinition(id, description, action.Value, killLoader, when, unless, map.Line);
    }

    private List<ConditionDefinition> ParseConditions(YamlNode node, string section)
    {
        var conditions = new List<ConditionDefinition>();
        if (node is not YamlMapping map)
        {
            Error(node, $"'{section}' must be a mapping of conditions, e.g. {{ module.name: [\"x\"] }}");
            return conditions;
        }

        foreach ((YamlScalar key, YamlNode value) in map.Entries)
        {
            if (!ConditionKeys.TryGet(key.Value, out ConditionKeys.Info info))
            {
                UnknownKey(key, $"'{section}'", ConditionKeys.All.Select(i => i.Name).ToArray());
                continue;
            }

            List<string>? values = ParseConditionValues(value, info);
            if (values is not null)
            {
                conditions.Add(new ConditionDefinition(info.Key, values));
            }
        }

        return conditions;
    }

    private List<string>? ParseConditionValues(YamlNode node, ConditionKeys.Info info)
    {
        if (info.Kind == ConditionValueKind.Boolean)
        {
            bool? b = ExpectBoolean(node, info.Name);
            return b is null ? null : [b.Value ? "true" : "false"];
        }

        IReadOnlyList<YamlNode> items = node is YamlSequence seq ? seq.Items : [node];
        if (items.Count == 0)
        {
            Error(node, $"'{info.Name}' needs at least one value");
            return null;
        }

        var values = new List<string>(items.Count);
        bool ok = true;
        foreach (YamlNode item in items)
        {
            string? value = ParseConditionValue(item, info);
            if (value is null)
            {
                ok = false;
            }
            else
            {
                values.Add(value);
            }
        }

        return ok ? values : null;
    }

    private string? ParseConditionValue(YamlNode node, ConditionKeys.Info info)
    {
        switch (info.Kind)
        {
            case ConditionValueKind.Word:
                return ExpectWord(node, info.Name, info.Words!);
            case ConditionValueKind.Integer:
                int? n = ExpectInteger(node, info.Name);
                if (n is < 0)
                {
                    Error(node, $"'{info.Name}' must not be negative");
                    return null;
                }

                return n?.ToString(CultureInfo.InvariantCulture);
            case ConditionValueKind.Sha256:
                string? hex = ExpectString(node, info.Name);
                if (hex is null)
                {
                    return null;
                }

                if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
                {
                    Error(node, $"'{info.Name}' value \"{Shorten(hex)}\" is not a SHA-256: expected 64 hexadecimal digits");
                    return null;
                }

                return hex.ToLowerInvariant();
            default:
                string? text = ExpectString(node, info.Name);
                if (text is null)
                {
                    return null;
                }

                if (!GlobPattern.TryParse(text, out _, out string? error))
                {
                    Error(node, $"bad pattern for '{info.Name}': {error}");
                    return null;
                }

                return text;
        }
    }

    private static bool IsValidId(string id)
    {
        if (id.Length is 0 or > MaxIdLength || !char.IsAsciiLetterOrDigit(id[0]))
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
