namespace KmodGuard.Linux.Tests;

/// <summary>
/// Every test that opens the kernel's audit netlink socket, changes audit rules or status, or runs auditd
/// belongs to this collection: only one process can be the registered audit daemon, and rules are global.
/// Tests in it restore the kernel's audit state even when they fail.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AuditSocketCollection
{
    public const string Name = "audit socket (serialized)";
}
