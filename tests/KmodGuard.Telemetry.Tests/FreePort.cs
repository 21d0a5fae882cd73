using System.Net;
using System.Net.Sockets;

namespace KmodGuard.Telemetry.Tests;

internal static class FreePort
{
    /// <summary>A loopback port nobody listens on right now (connections to it are refused).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
