namespace KmodGuard.Tests.Shared;

/// <summary>How to start an <see cref="AspireDashboard"/>.</summary>
internal sealed record AspireDashboardOptions
{
    /// <summary>When set, OTLP clients must send the header <c>x-otlp-api-key</c> with this value.</summary>
    public string? OtlpApiKey { get; init; }

    /// <summary>Fixed OTLP/gRPC port (e.g. to come back on the same port after an outage); 0 = any free port.</summary>
    public int GrpcPort { get; init; }

    /// <summary>Fixed OTLP/HTTP port; 0 = any free port.</summary>
    public int HttpPort { get; init; }

    /// <summary>Log records kept (a ring buffer).</summary>
    public int MaxLogCount { get; init; } = 100_000;
}
