namespace KmodGuard.Tests.Shared;

/// <summary>
/// One log record as the dashboard's telemetry API returns it. The API turns every attribute value into a string
/// (types are checked on the wire instead) and adds <c>aspire.log_id</c>.
/// </summary>
internal sealed record DashboardLogRecord(
    string? EventName,
    string? SeverityText,
    string? Body,
    string Scope,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> Resource,
    ulong TimeUnixNano);
