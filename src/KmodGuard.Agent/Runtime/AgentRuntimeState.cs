using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Agent.Runtime;

/// <summary>The running agent's parts, as far as they exist yet: what <c>kmodguard status</c> reports from.</summary>
internal sealed class AgentRuntimeState
{
    public AuditSession? Session { get; set; }
    public AuditStatusMonitor? Monitor { get; set; }
    public ActivityProcessor? Processor { get; set; }
}
