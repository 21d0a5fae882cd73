namespace KmodGuard.Core.Policy.Yaml;

/// <summary>A node of a parsed YAML/JSON document with the position where it starts (1-based).</summary>
internal abstract record YamlNode(int Line, int Column);

/// <summary>A scalar; <see cref="Plain"/> is false for quoted and block scalars, which are always strings.</summary>
internal sealed record YamlScalar(string Value, bool Plain, int Line, int Column) : YamlNode(Line, Column);

internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);

internal sealed record YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries, int Line, int Column)
    : YamlNode(Line, Column);
