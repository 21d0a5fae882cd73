namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>How the shim answers Endpoint Security when KmodGuard cannot decide in time.</summary>
public sealed record EsClientOptions
{
    /// <summary>Answer DENY (true) or ALLOW (false) when the decision misses its budget. Default: fail open, so a
    /// hung agent cannot stop a Mac from loading the kexts it needs to boot.</summary>
    public bool FailClosed { get; init; }

    /// <summary>Answer at least this long before ES's deadline (ES kills a client that misses it).</summary>
    public TimeSpan MinimumHeadroom { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of the time left before the deadline that a decision may use (1..100).</summary>
    public int BudgetPercent { get; init; } = 80;

    /// <summary>Ignore this process's own events (it never loads kexts, but muting avoids feedback loops).</summary>
    public bool MuteSelf { get; init; } = true;

    /// <summary>AUTH messages held at once; beyond this they are answered with the default straight away.</summary>
    public int MaxPending { get; init; } = 65536;
}
