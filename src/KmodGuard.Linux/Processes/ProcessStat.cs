namespace KmodGuard.Linux.Processes;

/// <summary>The fields of /proc/PID/stat KmodGuard uses. <see cref="StartTime"/> is in clock ticks since boot.</summary>
internal sealed record ProcessStat(string Comm, char State, int ParentPid, ulong StartTime)
{
    /// <summary>
    /// Parses a stat line. The comm field is in parentheses and may itself contain ')' and spaces, so the
    /// fields after it are found from the last ')'.
    /// </summary>
    public static ProcessStat? Parse(string line)
    {
        int open = line.IndexOf('(', StringComparison.Ordinal);
        int close = line.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        // After ") ": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice num_threads itrealvalue starttime(22), numbered as in proc(5).
        string[] rest = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length < 20 || rest[0].Length != 1
            || !int.TryParse(rest[1], out int ppid)
            || !ulong.TryParse(rest[19], out ulong start))
        {
            return null;
        }

        return new ProcessStat(line[(open + 1)..close], rest[0][0], ppid, start);
    }
}
