using System.Net.Sockets;
using System.Text;
using KmodGuard.Agent.Status;

namespace KmodGuard.Agent.Tests.Status;

/// <summary>Whatever answers on the socket, the client says what it got: a snapshot, "not running" or a clear reason.</summary>
public sealed class StatusClientTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SocketPath => _dir.File("s.sock");

    /// <summary>A server that answers every connection with <paramref name="answer"/> (or nothing, and stays silent).</summary>
    private static Task Fake(byte[]? answer, Socket listener, bool hold = false) => Task.Run(() =>
    {
        using Socket client = listener.Accept();
        if (answer is not null)
        {
            client.Send(answer);
        }

        if (hold)
        {
            Thread.Sleep(1500);
        }
    });

    private StatusAnswer AskFake(byte[]? answer, bool hold = false, double timeoutSeconds = 3)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(1);
        Task server = Fake(answer, listener, hold);
        StatusAnswer a = StatusClient.Query(SocketPath, TimeSpan.FromSeconds(timeoutSeconds));
        server.Wait();
        return a;
    }

    [Fact]
    public void No_socket_means_no_agent()
    {
        StatusAnswer a = StatusClient.Query(SocketPath, TimeSpan.FromSeconds(1));
        Assert.Equal(StatusAnswerKind.NotRunning, a.Kind);
        Assert.Equal($"no agent is running ({SocketPath} does not exist)", a.Message);
    }

    [Fact]
    public void Garbage_is_not_a_status()
    {
        StatusAnswer a = AskFake("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray());
        Assert.Equal(StatusAnswerKind.Unknown, a.Kind);
        Assert.StartsWith($"the answer on {SocketPath} is not a kmodguard status: ", a.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_without_the_required_fields_is_not_a_status()
    {
        StatusAnswer a = AskFake("{\"pid\": 1}"u8.ToArray());
        Assert.Equal(StatusAnswerKind.Unknown, a.Kind);
        Assert.Contains("missing required properties", a.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_answer_is_refused_unparsed()
    {
        byte[] huge = Encoding.ASCII.GetBytes("[" + string.Concat(Enumerable.Repeat("1,", StatusClient.MaxDocumentBytes / 2 + 10)) + "1]");
        StatusAnswer a = AskFake(huge);
        Assert.Equal(StatusAnswerKind.Unknown, a.Kind);
        Assert.Contains("is larger than 1048576 bytes", a.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silent_server_times_out()
    {
        StatusAnswer a = AskFake(null, hold: true, timeoutSeconds: 0.3);
        Assert.Equal(StatusAnswerKind.Unknown, a.Kind);
        Assert.Equal($"the agent on {SocketPath} did not answer within 0.3 s", a.Message);
    }

    [Fact]
    public void A_hang_up_without_an_answer_is_explained()
    {
        StatusAnswer a = AskFake(null);
        Assert.Equal(StatusAnswerKind.Unknown, a.Kind);
        Assert.Contains("closed the connection without answering", a.Message, StringComparison.Ordinal);
    }
}
