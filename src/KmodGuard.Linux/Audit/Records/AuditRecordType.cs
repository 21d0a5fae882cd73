namespace KmodGuard.Linux.Audit.Records;

/// <summary>The audit record type numbers KmodGuard interprets (UAPI <c>linux/audit.h</c>). Other types are kept by number.</summary>
internal static class AuditRecordType
{
    public const int FirstDaemon = 1200;
    public const int LastDaemon = 1299;
    public const int Syscall = 1300;
    public const int Path = 1302;
    public const int ConfigChange = 1305;
    public const int Cwd = 1307;
    public const int Execve = 1309;
    public const int Eoe = 1320;
    public const int Proctitle = 1327;
    public const int Replace = 1329;
    public const int KernModule = 1330;
    public const int EventListener = 1335;
    public const int Kernel = 2000;

    private const int FirstEvent = 1300;
    private const int MacUnlabeledAllow = 1406;
    private const int MacCalipsoDelete = 1419;
    private const int FirstAnomalyMessage = 2100;

    /// <summary>Types that make up a whole event on their own (libauparse's rule: user-space, daemon, anomaly and a few kernel types).</summary>
    public static bool IsSingleRecordEvent(int type) =>
        type < FirstEvent || type >= FirstAnomalyMessage || type == Kernel || type is >= MacUnlabeledAllow and <= MacCalipsoDelete;

    /// <summary>auditd's own records (DAEMON_START ...) are numbered by auditd, not by the kernel's serial counter.</summary>
    public static bool IsDaemonRecord(int type) => type is >= FirstDaemon and <= LastDaemon;
}
