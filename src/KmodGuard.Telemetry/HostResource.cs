using System.Reflection;

namespace KmodGuard.Telemetry;

/// <summary>
/// Resource attributes describing this agent and its host: service.version, host.name, host.id (the machine id),
/// os.type and os.version. OTEL_RESOURCE_ATTRIBUTES can override each.
/// </summary>
internal static class HostResource
{
    private static readonly string[] MachineIdFiles = ["/etc/machine-id", "/var/lib/dbus/machine-id"];

    public static Dictionary<string, object> Attributes()
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["service.version"] = ServiceVersion(),
            ["host.name"] = Environment.MachineName,
            ["os.type"] = OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsLinux() ? "linux" : Environment.OSVersion.Platform.ToString().ToLowerInvariant(),
            ["os.version"] = OsVersion(),
        };
        if (MachineId() is { } id)
        {
            attributes["host.id"] = id;
        }

        return attributes;
    }

    /// <summary>The kernel release on Linux (as uname -r), the product version elsewhere.</summary>
    private static string OsVersion()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            }
            catch (IOException)
            {
            }
        }

        return Environment.OSVersion.Version.ToString();
    }

    public static string ServiceVersion() =>
        typeof(HostResource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(HostResource).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>
    /// The semantic conventions' host.id on Linux is the machine id. On macOS it is the IOPlatformUUID, which the
    /// macOS agent passes in OTEL_RESOURCE_ATTRIBUTES (host.id=...) since reading it needs IOKit.
    /// </summary>
    private static string? MachineId()
    {
        foreach (string file in MachineIdFiles)
        {
            try
            {
                string id = File.ReadAllText(file).Trim();
                if (id.Length > 0)
                {
                    return id;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return null;
    }
}
