using System.Net.Sockets;
using System.Text.Json;

namespace KmodGuard.Agent.Status;

/// <summary>Asks a running agent for its status over the status socket (<see cref="StatusServer"/>).</summary>
internal static class StatusClient
{
    /// <summary>Real documents are a few hundred bytes; a larger answer is not from our agent.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    public static StatusAnswer Query(string path, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused || !File.Exists(path))
        {
            return new StatusAnswer(StatusAnswerKind.NotRunning, null,
                File.Exists(path) ? $"no agent is listening on {path} (a stale socket)" : $"no agent is running ({path} does not exist)");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null, $"permission denied on {path}: the status socket is root-only, run as root");
        }
        catch (SocketException e)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null, $"cannot connect to {path}: {e.Message}");
        }

        byte[] buffer = new byte[MaxDocumentBytes + 1];
        int length = 0;
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            int n;
            while (length < buffer.Length && (n = socket.Receive(buffer.AsSpan(length))) > 0)
            {
                length += n;
            }
        }
        catch (SocketException e)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null,
                e.SocketErrorCode == SocketError.TimedOut
                    ? $"the agent on {path} did not answer within {timeout.TotalSeconds:0.#} s"
                    : $"reading from {path} failed: {e.Message}");
        }

        if (length > MaxDocumentBytes)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null, $"the answer on {path} is larger than {MaxDocumentBytes} bytes; it is not a kmodguard status");
        }

        if (length == 0)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null, $"the agent on {path} closed the connection without answering (is this client root?)");
        }

        try
        {
            StatusSnapshot? snapshot = JsonSerializer.Deserialize(buffer.AsSpan(0, length), AgentJsonContext.Default.StatusSnapshot);
            return snapshot is null
                ? new StatusAnswer(StatusAnswerKind.Unknown, null, $"the answer on {path} is not a kmodguard status: null")
                : new StatusAnswer(StatusAnswerKind.Running, snapshot, null);
        }
        catch (JsonException e)
        {
            return new StatusAnswer(StatusAnswerKind.Unknown, null, $"the answer on {path} is not a kmodguard status: {e.Message}");
        }
    }
}
