using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>A record that could not be parsed: why, and the start of it (printable, at most 160 characters).</summary>
internal sealed record AuditMalformedRecord(AuditParseError Error, string Excerpt)
{
    private const int MaxExcerptBytes = 160;

    public static AuditMalformedRecord Create(AuditParseError error, ReadOnlySpan<byte> input) =>
        new(error, Core.Telemetry.DecisionSentence.Printable(
            AuditValue.ToPrintableString(input[..Math.Min(input.Length, MaxExcerptBytes)])));
}
