using System.Text;
using System.Text.Json;
using KmodGuard.Linux.Audit.Events;

namespace KmodGuard.Linux.Tests.Audit.Events;

/// <summary>Feeds the fixture captures to a pipeline the way the live reader and replay do.</summary>
internal static class CaptureReplay
{
    /// <summary>The netlink messages of a JSON capture (optionally only one socket's), as (type, payload) datagrams.</summary>
    public static IEnumerable<(int Type, byte[] Payload)> NetlinkMessages(string file, string? socket = null)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf("captures-6.18", file)));
        return doc.RootElement.EnumerateArray()
            .Where(m => socket is null || m.GetProperty("sock").GetString() == socket)
            .Select(m => (m.GetProperty("type").GetInt32(), Encoding.UTF8.GetBytes(m.GetProperty("text").GetString()!)))
            .ToArray();
    }

    public static RecordingSink FromNetlink(string file, string? socket = null, TimeProvider? time = null)
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink, time: time);
        foreach ((int type, byte[] payload) in NetlinkMessages(file, socket))
        {
            pipeline.PushNetlink(type, payload);
        }

        pipeline.Flush();
        return sink;
    }

    public static RecordingSink FromLog(params string[] path)
    {
        var sink = new RecordingSink();
        var pipeline = new AuditPipeline(sink, new AuditAssemblyOptions { UseRecordTime = true });
        foreach (string line in File.ReadLines(Fixtures.PathOf(path)))
        {
            pipeline.PushLogLine(Encoding.UTF8.GetBytes(line));
        }

        pipeline.Flush();
        return sink;
    }
}
