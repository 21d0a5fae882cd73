namespace KmodGuard.Linux.Audit.Rules;

/// <summary>The file system types auditctl names in <c>-F fstype=</c> (filesystem list rules).</summary>
internal static class FsTypes
{
    private const uint DebugFs = 0x64626720;
    private const uint TraceFs = 0x74726163;

    public static string? NameOf(uint magic) => magic switch
    {
        DebugFs => "debugfs",
        TraceFs => "tracefs",
        _ => null,
    };

    public static uint? MagicOf(string name) => name switch
    {
        "debugfs" => DebugFs,
        "tracefs" => TraceFs,
        _ => null,
    };
}
