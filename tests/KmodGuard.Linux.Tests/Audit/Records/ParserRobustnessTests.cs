using System.Text;
using CsCheck;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Tests.Audit.Events;

namespace KmodGuard.Linux.Tests.Audit.Records;

/// <summary>
/// Fuzz-style properties: thousands of random, structured and mutated records and netlink frames per run must never
/// throw out of the parser or the pipeline, and every input must be accounted for (a record, ignored, or malformed).
/// </summary>
public sealed class ParserRobustnessTests
{
    private const int Iterations = 4000;

    /// <summary>Real records to mutate: the captures, the sample and the distribution logs.</summary>
    private static readonly byte[][] RealLines =
    [
        .. File.ReadLines(Fixtures.PathOf("captures-6.18", "auditd-3.0.9-enriched.log")).Select(Encoding.UTF8.GetBytes),
        .. File.ReadLines(Fixtures.PathOf("sample", "audit.log")).Select(Encoding.UTF8.GetBytes),
        .. File.ReadLines(Fixtures.PathOf("auparse", "audit-rhel7.log")).Select(Encoding.UTF8.GetBytes),
        .. File.ReadLines(Fixtures.PathOf("auparse", "test3.log")).Select(Encoding.UTF8.GetBytes),
    ];

    private static readonly (int Type, byte[] Payload)[] RealFrames =
        [.. CaptureReplay.NetlinkMessages("netlink-capture-unicast-vs-multicast.json")];

    /// <summary>Bytes that matter to the parser, so random input hits its branches.</summary>
    private static readonly Gen<byte> InterestingByte = Gen.Frequency(
        (4, Gen.Byte),
        (6, Gen.OneOf("= \"'{}():.\x1d\0\n-0123456789ABCDEFx"u8.ToArray())),
        (3, Gen.Byte[(byte)'a', (byte)'z']));

    private static readonly Gen<byte[]> Mutation = Gen.Int[0, RealLines.Length - 1].SelectMany(i => Mutate(RealLines[i]));

    [Fact]
    public void Random_bytes_never_throw_out_of_the_parsers()
    {
        InterestingByte.Array[0, 400].Sample(bytes =>
        {
            _ = AuditRecordParser.TryParseLogLine(bytes, out _);
            _ = AuditRecordParser.TryParseNetlink(1300, bytes, out _);
            _ = AuditValue.DecodeToString(bytes);
            _ = AuditValue.DecodeKey(bytes);
            _ = CommandLineArguments.FromProctitle(bytes);
        }, iter: Iterations);
    }

    [Fact]
    public void Random_headers_with_random_fields_never_throw_out_of_the_pipeline()
    {
        Gen<string> word = Gen.Char["a-zA-Z0-9_\"' ={}()\u001d\0"].Array[0, 12].Select(c => new string(c));
        Gen<string> field = Gen.Select(Gen.OneOf(Gen.OneOf("arch", "syscall", "pid", "exe", "comm", "name", "cwd", "proctitle", "argc", "a0", "a1", "a1[0]", "a1_len", "key", "nametype", "op", "res", "audit_enabled"), word),
            Gen.OneOf(word, Gen.OneOf("c000003e", "313", "175", "176", "59", "-38", "4294967295", "(null)", "6576696C", "\"x\"", "CREATE", "2F746D70")),
            (k, v) => $"{k}={v}");
        Gen<string> body = field.Array[0, 12].Select(f => string.Join(' ', f));
        Gen<(int Type, string Text)> record = Gen.Select(Gen.OneOf(1300, 1302, 1305, 1307, 1309, 1320, 1327, 1329, 1330, 1112, 1200, 2100, 0, 9999),
            Gen.UInt[0, 40], Gen.Long[0, 5_000_000_000], body,
            (type, serial, seconds, b) => (type, $"audit({seconds}.{serial % 1000:D3}:{serial}): {b}"));

        record.Array[1, 30].Sample(records =>
        {
            var sink = new RecordingSink();
            var pipeline = new AuditPipeline(sink, new AuditAssemblyOptions { MaxInFlight = 4 });
            foreach ((int type, string text) in records)
            {
                pipeline.PushNetlink(type, Encoding.UTF8.GetBytes(text));
            }

            pipeline.Flush();
            AuditPipelineCounters c = pipeline.Counters;
            Assert.Equal(records.Length, c.Records + c.MalformedRecords + c.IgnoredRecords);
        }, iter: Iterations);
    }

    [Fact]
    public void Mutated_real_log_lines_never_throw_and_are_all_accounted_for()
    {
        Mutation.Array[1, 40].Sample(lines =>
        {
            var sink = new RecordingSink();
            var pipeline = new AuditPipeline(sink, new AuditAssemblyOptions { UseRecordTime = true, MaxInFlight = 8 });
            foreach (byte[] line in lines)
            {
                pipeline.PushLogLine(line);
            }

            pipeline.Flush();
            AuditPipelineCounters c = pipeline.Counters;
            Assert.Equal(lines.Length, c.Records + c.MalformedRecords + c.IgnoredRecords);
            Assert.Equal(c.MalformedRecords, sink.Malformed.Count);
        }, iter: Iterations);
    }

    [Fact]
    public void Mutated_real_netlink_frames_never_throw()
    {
        Gen<(int, byte[])> frame = Gen.Int[0, RealFrames.Length - 1].SelectMany(i =>
            Gen.Select(Gen.Frequency((8, Gen.Const(RealFrames[i].Type)), (1, Gen.Int[0, 3000])), Mutate(RealFrames[i].Payload)));

        frame.Array[1, 40].Sample(frames =>
        {
            var pipeline = new AuditPipeline(new RecordingSink(), new AuditAssemblyOptions { MaxInFlight = 8 });
            foreach ((int type, byte[] payload) in frames)
            {
                pipeline.PushNetlink(type, payload);
            }

            pipeline.Tick();
            pipeline.Flush();
        }, iter: Iterations);
    }

    [Fact]
    public void Escaped_text_of_any_bytes_can_be_turned_back_into_those_bytes()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            string text = AuditValue.ToPrintableString(bytes);
            Assert.Equal(bytes, EscapedText.ToBytes(text, escaped: !System.Text.Unicode.Utf8.IsValid(bytes)));
        }, iter: Iterations);
    }

    [Fact]
    public void Random_rule_bytes_decode_or_fail_with_a_rule_error_only()
    {
        byte[] valid = AuditRule.Parse("-a always,exit -F arch=b64 -S init_module -F exe=/bin/x -F key=k", new AuditRuleParseOptions(AuditArch.X8664, _ => false)).ToWireFormat();
        Gen<byte[]> mutated = Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 8], Gen.Byte.Array[8], Gen.Int[0, valid.Length], (positions, values, cut) =>
        {
            byte[] b = (byte[])valid.Clone();
            for (int i = 0; i < positions.Length; i++)
            {
                b[positions[i]] = values[i];
            }

            return b[..cut];
        });

        mutated.Sample(bytes =>
        {
            try
            {
                AuditRule rule = AuditRule.FromWireFormat(bytes);
                _ = rule.ToAuditctlText(AuditArch.X8664);
                _ = rule.ToWireFormat();
            }
            catch (AuditRuleException)
            {
                // A clear refusal is the other allowed outcome.
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Random_rule_text_parses_or_fails_with_a_rule_error_only()
    {
        Gen<string> token = Gen.OneOf(
            Gen.OneOf("-a", "-w", "-F", "-S", "-p", "-k", "-C", "-A", "always,exit", "exit,never", "user,always", "arch=b64", "arch=b32",
                "key=k", "path=/x", "dir=/y/", "perm=wa", "uid>=1000", "auid!=unset", "exit=-EACCES", "a0&0x4", "init_module", "all", "open,close",
                "uid!=euid", "msgtype=SYSCALL", "\"/a b\"", "'x", "rwxa", "/etc/x"),
            Gen.String[Gen.Char["a-z=!<>&,-0123456789"], 0, 10]);
        token.Array[0, 10].Sample(tokens =>
        {
            try
            {
                _ = AuditRule.Parse(string.Join(' ', tokens), new AuditRuleParseOptions(AuditArch.X8664, p => p.StartsWith("/y", StringComparison.Ordinal))).ToWireFormat();
            }
            catch (AuditRuleException)
            {
                // A clear refusal is the other allowed outcome.
            }
        }, iter: Iterations);
    }

    /// <summary>Flip, insert, delete or cut bytes of a real record.</summary>
    private static Gen<byte[]> Mutate(byte[] original) =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, Math.Max(0, original.Length - 1)], InterestingByte.Array[1, 6], (kind, at, bytes) =>
        {
            var b = new List<byte>(original);
            at = Math.Min(at, b.Count);
            switch (kind)
            {
                case 0 when b.Count > 0:
                    b[Math.Min(at, b.Count - 1)] = bytes[0];
                    break;
                case 1:
                    b.InsertRange(at, bytes);
                    break;
                case 2:
                    b.RemoveRange(at, Math.Min(bytes.Length, b.Count - at));
                    break;
                case 3:
                    b.RemoveRange(at, b.Count - at);
                    break;
                default:
                    b.AddRange(bytes);
                    break;
            }

            return b.ToArray();
        });
}
