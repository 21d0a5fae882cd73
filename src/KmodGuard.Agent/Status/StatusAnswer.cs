namespace KmodGuard.Agent.Status;

internal enum StatusAnswerKind
{
    /// <summary>An agent answered with its snapshot.</summary>
    Running,

    /// <summary>Nothing listens on the socket: no agent runs.</summary>
    NotRunning,

    /// <summary>Whether an agent runs cannot be told (no permission, no answer, a broken answer).</summary>
    Unknown,
}

/// <summary>The outcome of asking the status socket; <see cref="Message"/> explains anything but a snapshot.</summary>
internal sealed record StatusAnswer(StatusAnswerKind Kind, StatusSnapshot? Snapshot, string? Message);
