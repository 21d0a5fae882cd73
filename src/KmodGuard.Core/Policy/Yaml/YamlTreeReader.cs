using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace KmodGuard.Core.Policy.Yaml;

/// <summary>
/// Reads one YAML (or JSON) document (a policy, the agent configuration) into <see cref="YamlNode"/>s, keeping positions for error messages.
/// Uses YamlDotNet's event parser only, which needs no reflection (NativeAOT-safe).
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>Deeper nesting than any policy needs is refused rather than risking the stack.</summary>
    private const int MaxDepth = 64;

    /// <summary>Returns null with an error, or null without one for an empty document (the caller decides what that means).</summary>
    internal static YamlNode? Read(string text, string source, List<PolicyError> errors)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            YamlNode? root = ReadNode(parser, source, errors, 0);
            if (root is null)
            {
                return null;
            }

            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                Mark m = parser.Current!.Start;
                errors.Add(new PolicyError(source, (int)m.Line, (int)m.Column, "only one document is allowed"));
                return null;
            }

            return root;
        }
        catch (YamlException e)
        {
            errors.Add(new PolicyError(source, (int)e.Start.Line, (int)e.Start.Column, Describe(e)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18.1 throws this instead of a YamlException on some malformed input (an unclosed flow
            // mapping holding a plain scalar, a stray document marker): locate it after the last element read.
            Mark m = parser.Current?.End ?? Mark.Empty;
            errors.Add(new PolicyError(source, Math.Max(1, (int)m.Line), Math.Max(1, (int)m.Column), "YAML syntax error: malformed document after this point"));
            return null;
        }
    }

    private static YamlNode? ReadNode(IParser parser, string source, List<PolicyError> errors, int depth)
    {
        ParsingEvent ev = parser.Current!;
        int line = (int)ev.Start.Line;
        int column = (int)ev.Start.Column;
        if (depth > MaxDepth)
        {
            errors.Add(new PolicyError(source, line, column, $"nesting deeper than {MaxDepth} levels"));
            return null;
        }

        switch (ev)
        {
            case AnchorAlias:
                errors.Add(new PolicyError(source, line, column, "YAML aliases are not supported"));
                return null;
            case Scalar scalar:
                parser.MoveNext();
                return new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);
            case SequenceStart:
            {
                parser.MoveNext();
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    YamlNode? item = ReadNode(parser, source, errors, depth + 1);
                    if (item is null)
                    {
                        return null;
                    }

                    items.Add(item);
                }

                return new YamlSequence(items, line, column);
            }

            case MappingStart:
            {
                parser.MoveNext();
                var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    YamlNode? key = ReadNode(parser, source, errors, depth + 1);
                    if (key is null)
                    {
                        return null;
                    }

                    if (key is not YamlScalar scalarKey)
                    {
                        errors.Add(new PolicyError(source, key.Line, key.Column, "mapping keys must be plain strings"));
                        return null;
                    }

                    YamlNode? value = ReadNode(parser, source, errors, depth + 1);
                    if (value is null)
                    {
                        return null;
                    }

                    if (!seen.Add(scalarKey.Value))
                    {
                        errors.Add(new PolicyError(source, scalarKey.Line, scalarKey.Column, $"duplicate key '{scalarKey.Value}'"));
                        continue;
                    }

                    entries.Add(new(scalarKey, value));
                }

                return new YamlMapping(entries, line, column);
            }

            default:
                errors.Add(new PolicyError(source, line, column, $"unexpected YAML element {ev.GetType().Name}"));
                return null;
        }
    }

    /// <summary>YamlDotNet prefixes messages with its own position; ours already carries it.</summary>
    private static string Describe(YamlException e)
    {
        string message = e.Message;
        int close = message.StartsWith("(Line:", StringComparison.Ordinal) ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        message = close >= 0 ? message[(close + 3)..] : message;
        return "YAML syntax error: " + message.TrimEnd('.');
    }
}
