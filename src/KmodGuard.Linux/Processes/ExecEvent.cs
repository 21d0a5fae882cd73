namespace KmodGuard.Linux.Processes;

/// <summary>
/// One process execution as the audit pipeline saw it (SYSCALL execve + EXECVE + CWD). Kept in
/// <see cref="ExecEventCache"/> so a loader, or an ancestor, that exits before its module event is handled can still be described.
/// </summary>
internal sealed record ExecEvent(int Pid, DateTimeOffset Time)
{
    public int? ParentPid { get; init; }
    public string? ExecutablePath { get; init; }
    public IReadOnlyList<string>? Arguments { get; init; }
    public string? WorkingDirectory { get; init; }
    public int? UserId { get; init; }
    public int? EffectiveUserId { get; init; }
}
