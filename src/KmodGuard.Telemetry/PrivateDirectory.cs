namespace KmodGuard.Telemetry;

/// <summary>Directories for undelivered records, which name users and paths: created 0700.</summary>
internal static class PrivateDirectory
{
    /// <summary>Creates <paramref name="path"/> (and its parents) if needed; null on success, else why not.</summary>
    public static string? TryCreate(string path)
    {
        try
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }
}
