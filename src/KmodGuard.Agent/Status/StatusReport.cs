namespace KmodGuard.Agent.Status;

/// <summary>What <c>kmodguard status --json</c> prints: the agent's snapshot, or why there is none and the kernel's audit status.</summary>
internal sealed record StatusReport(bool Running, string Socket, StatusSnapshot? Agent, string? Reason, KernelAuditReport? Kernel, string? KernelError);

/// <summary>The kernel's audit status (AUDIT_GET), as <c>auditctl -s</c> shows it.</summary>
/// <param name="Enabled">0 off, 1 on, 2 on and locked until reboot.</param>
/// <param name="Failure">What the kernel does when it cannot audit: 0 silent, 1 printk, 2 panic.</param>
/// <param name="Pid">The registered audit daemon (0: none); <paramref name="Daemon"/> is its name when it can be read.</param>
internal sealed record KernelAuditReport(
    uint Enabled, uint Failure, uint Pid, string? Daemon, uint RateLimit, uint BacklogLimit, uint Lost, uint Backlog, uint BacklogWaitTime);
