namespace KmodGuard.Linux.Audit.Rules;

/// <summary>A rule that cannot be encoded (bad auditctl syntax) or decoded (bad kernel bytes); the message says why.</summary>
internal sealed class AuditRuleException(string message) : Exception(message);
