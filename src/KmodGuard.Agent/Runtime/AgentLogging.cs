using Microsoft.Extensions.Logging;

namespace KmodGuard.Agent.Runtime;

/// <summary>How the agent's own messages (not decision records) are printed: one line each, on stderr, so that stdout
/// carries only decision records.</summary>
internal static class AgentLogging
{
    public static void ToStandardError(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
