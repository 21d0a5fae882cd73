using System.Text;

namespace KmodGuard.Linux;

/// <summary>Reads one small /proc or /sys value (a sysctl, a sysfs attribute): at most a page, trailing newline removed.</summary>
internal static class KernelAttribute
{
    /// <summary>The value, or null when the file is missing or unreadable (a module unloaded meanwhile, no permission).</summary>
    public static string? Read(string path)
    {
        try
        {
            // No buffering: procfs/sysfs report a size of 4096 or 0 whatever they hold.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            Span<byte> buffer = stackalloc byte[4096];
            int n = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer[..n]).TrimEnd('\n', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
