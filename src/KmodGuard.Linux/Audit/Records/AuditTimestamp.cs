using System.Globalization;

namespace KmodGuard.Linux.Audit.Records;

/// <summary>The <c>sec.msec</c> part of an audit record header.</summary>
internal readonly record struct AuditTimestamp(long Seconds, int Milliseconds)
{
    public long TotalMilliseconds => (Seconds * 1000) + Milliseconds;

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(TotalMilliseconds);

    /// <summary>"1700000000.123", as the header prints it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Milliseconds:D3}");
}
