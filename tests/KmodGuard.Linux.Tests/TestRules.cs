using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Tests;

/// <summary>Rules for session tests, under a test key so they never collide with a real agent's rules.</summary>
internal static class TestRules
{
    public static byte[] Bytes(string auditctlText) => AuditRule.Parse(auditctlText).ToWireFormat();

    /// <summary>The agent's module syscall rules (b64 and b32) with <paramref name="key"/>.</summary>
    public static byte[][] Module(string key) =>
    [
        Bytes($"-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -F key={key}"),
        Bytes($"-a always,exit -F arch=b32 -S init_module,finit_module,delete_module -F key={key}"),
    ];
}
