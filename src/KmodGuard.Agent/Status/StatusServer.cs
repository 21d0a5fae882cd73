using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json;

namespace KmodGuard.Agent.Status;

/// <summary>
/// Serves <see cref="IStatusSource"/> snapshots on a Unix socket: each connection gets one JSON document, then EOF.
/// Root only three times over: the directory is 0700, the socket 0600, and a peer whose credentials are not uid 0 is
/// hung up on. Requests are served one at a time; the document is small enough that a client that never reads
/// cannot block the server.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class StatusServer : IDisposable
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Socket _listener;
    private readonly IStatusSource _source;
    private readonly Action<string> _onError;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _refused;

    private StatusServer(Socket listener, string path, IStatusSource source, Action<string> onError)
    {
        _listener = listener;
        Path = path;
        _source = source;
        _onError = onError;
        _loop = Task.Run(() => AcceptLoopAsync(_stop.Token));
    }

    public string Path { get; }

    /// <summary>Connections refused because the peer was not root.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Like <see cref="Start"/>, but a socket that cannot be served is reported and yields null: status is for
    /// people, and guarding goes on without it.</summary>
    public static StatusServer? TryStart(string path, IStatusSource source, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            return Start(path, source, report);
        }
        catch (StatusSocketException e)
        {
            report($"status socket unavailable: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Creates the directory (0700) if needed, replaces a stale socket left by a crashed agent, and listens.
    /// Throws <see cref="StatusSocketException"/> when another agent serves the path or the directory is not private.
    /// </summary>
    /// <param name="onError">Told about connections that failed; the server keeps going.</param>
    public static StatusServer Start(string path, IStatusSource source, Action<string> onError)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onError);
        string directory = System.IO.Path.GetDirectoryName(path) ?? throw new StatusSocketException($"{path}: not a file path");
        PrepareDirectory(directory);
        RemoveStaleSocket(path);

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, SocketMode);
            listener.Listen(16);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new StatusSocketException($"cannot listen on {path}: {e.Message}", e);
        }

        return new StatusServer(listener, path, source, onError);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; how does not matter any more.
        }

        _stop.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void PrepareDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(directory);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0)
        {
            throw new StatusSocketException(
                $"{directory} is accessible to other users ({Convert.ToString((int)mode, 8)}); the status socket needs a private directory (0700), e.g. /run/kmodguard");
        }
    }

    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            // Nobody listens: a crashed agent's leftover. The directory is private, so it is ours to remove.
            File.Delete(path);
            return;
        }

        throw new StatusSocketException($"another kmodguard agent is already serving {path}");
    }

    private async Task AcceptLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _onError($"status socket {Path}: accept failed: {e.Message}");
                await Task.Delay(100, stop).ConfigureAwait(false);
                continue;
            }

            using (client)
            {
                Serve(client);
            }
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            if (PeerUid(client) != 0)
            {
                Interlocked.Increment(ref _refused);
                return;
            }

            byte[] document = JsonSerializer.SerializeToUtf8Bytes(_source.Snapshot(), AgentJsonContext.Default.StatusSnapshot);
            client.SendTimeout = 1000;
            client.Send(document);
            client.Send("\n"u8);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _onError($"status socket {Path}: a client went away: {e.Message}");
        }
#pragma warning disable CA1031 // A broken snapshot provider must not take the status server down with it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _onError($"status socket {Path}: building the status failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The connecting process's uid (SO_PEERCRED: struct ucred { pid, uid, gid }).</summary>
    private static long PeerUid(Socket client)
    {
        Span<byte> ucred = stackalloc byte[12];
        int length = client.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        return length >= 8 ? BitConverter.ToUInt32(ucred[4..8]) : -1;
    }
}
