namespace KmodGuard.Agent.Commands;

/// <summary>How a daemon command refuses to start on a bad configuration or policy: every located error on stderr
/// (FILE:LINE:COL: message), and exit code 2.</summary>
internal static class StartupRefusal
{
    public static int Refuse(ConsoleIo io, IEnumerable<string> errors, string fallback)
    {
        bool any = false;
        foreach (string error in errors)
        {
            io.Error.WriteLine(error);
            any = true;
        }

        if (!any)
        {
            io.Error.WriteLine(fallback);
        }

        return ExitCodes.Usage;
    }
}
