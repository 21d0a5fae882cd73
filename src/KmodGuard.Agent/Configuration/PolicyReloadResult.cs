using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Agent.Configuration;

/// <summary>What made the agent look at its policy file again.</summary>
internal enum PolicyReloadTrigger
{
    /// <summary>SIGHUP (<c>systemctl reload kmodguard</c>).</summary>
    Signal,

    /// <summary>The policy file changed on disk.</summary>
    FileChanged,

    /// <summary>A direct call (tests, a future control command).</summary>
    Request,
}

internal enum PolicyReloadOutcome
{
    /// <summary>The new policy is in force.</summary>
    Swapped,

    /// <summary>The file holds the policy already in force (same SHA-256); nothing changed.</summary>
    Unchanged,

    /// <summary>The new policy is invalid or unreadable; the running one stays. An agent error.</summary>
    Rejected,
}

/// <summary>One reload attempt, for the agent log: <see cref="Message"/> is the line to write.</summary>
internal sealed record PolicyReloadResult(
    PolicyReloadTrigger Trigger,
    PolicyReloadOutcome Outcome,
    CompiledPolicy Current,
    CompiledPolicy? Replaced,
    IReadOnlyList<PolicyError> Errors,
    string Message);
