namespace KmodGuard.Core.Telemetry;

/// <summary>How decision records are printed on stdout.</summary>
public enum DecisionRecordFormat
{
    /// <summary>One JSON object per line, with the telemetry attribute keys.</summary>
    Json,

    /// <summary>One human-readable line.</summary>
    Text,
}
