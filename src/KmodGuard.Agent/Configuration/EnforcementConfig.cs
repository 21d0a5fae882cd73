namespace KmodGuard.Agent.Configuration;

/// <summary>The <c>enforcement:</c> section.</summary>
internal sealed record EnforcementConfig
{
    /// <summary>
    /// Mirror deny rules that name exact modules into /etc/modprobe.d/kmodguard.conf. Off by default: the service's
    /// sandbox keeps /etc read-only, and turning this on also needs the unit's denylist drop-in (docs/deployment.md).
    /// </summary>
    public bool ModprobeDenylist { get; init; }

    /// <summary>How long to keep retrying the unload of a denied module that is still initialising.</summary>
    public TimeSpan UnloadRetryBudget { get; init; } = TimeSpan.FromMilliseconds(800);
}
