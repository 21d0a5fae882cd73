namespace KmodGuard.Agent.Configuration;

/// <summary>The <c>policy:</c> section.</summary>
internal sealed record PolicyConfig
{
    public const string DefaultPath = "/etc/kmodguard/policy.yaml";

    /// <summary>The policy file; when it does not exist the embedded default policy applies (and the log says so).</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>Reload when the file changes, not only on SIGHUP.</summary>
    public bool Watch { get; init; } = true;
}
