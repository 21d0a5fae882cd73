namespace KmodGuard.Agent;

/// <summary>Process exit codes, shared by every subcommand (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but failed (I/O, the kernel refused, ...).</summary>
    public const int Failure = 1;

    /// <summary>Bad usage, configuration or policy; or missing privileges/kernel support (nothing was changed).</summary>
    public const int Usage = 2;

    /// <summary><c>status</c>: no agent is running (the LSB status code for "program is not running").</summary>
    public const int NotRunning = 3;
}
