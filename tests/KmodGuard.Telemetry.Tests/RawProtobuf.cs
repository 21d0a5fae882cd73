using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KmodGuard.Telemetry.Tests;

/// <summary>
/// A protobuf message as <c>protoc --decode_raw</c> prints it: field number → values, each a scalar's text or a
/// nested message. Field numbers are those of opentelemetry-proto (logs/v1, common/v1).
/// </summary>
internal sealed partial class RawProtobuf
{
    public Dictionary<int, List<object>> Fields { get; } = [];

    public IEnumerable<RawProtobuf> Messages(int field) => Fields.GetValueOrDefault(field, []).OfType<RawProtobuf>();

    public IEnumerable<string> Scalars(int field) => Fields.GetValueOrDefault(field, []).OfType<string>();

    public static bool ProtocAvailable => File.Exists("/usr/bin/protoc") || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "protoc")));

    public static RawProtobuf Decode(byte[] message)
    {
        var start = new ProcessStartInfo("protoc", "--decode_raw") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process protoc = Process.Start(start)!;
        protoc.StandardInput.BaseStream.Write(message);
        protoc.StandardInput.Close();
        string text = protoc.StandardOutput.ReadToEnd();
        string error = protoc.StandardError.ReadToEnd();
        protoc.WaitForExit();
        return protoc.ExitCode == 0 ? Parse(text) : throw new InvalidOperationException($"protoc --decode_raw failed: {error}");
    }

    private static RawProtobuf Parse(string text)
    {
        var stack = new Stack<RawProtobuf>();
        stack.Push(new RawProtobuf());
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line == "}")
            {
                stack.Pop();
                continue;
            }

            Match open = Open().Match(line);
            if (open.Success)
            {
                var child = new RawProtobuf();
                stack.Peek().Add(int.Parse(open.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), child);
                stack.Push(child);
                continue;
            }

            Match scalar = Scalar().Match(line);
            if (!scalar.Success)
            {
                throw new FormatException($"unexpected protoc line: {line}");
            }

            string value = scalar.Groups[2].Value;
            stack.Peek().Add(int.Parse(scalar.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), value.StartsWith('"') ? Regex.Unescape(value[1..^1]) : value);
        }

        return stack.Last();
    }

    private void Add(int field, object value)
    {
        if (!Fields.TryGetValue(field, out List<object>? values))
        {
            Fields[field] = values = [];
        }

        values.Add(value);
    }

    [GeneratedRegex(@"^(\d+) \{$")]
    private static partial Regex Open();

    [GeneratedRegex(@"^(\d+): (.*)$")]
    private static partial Regex Scalar();
}
