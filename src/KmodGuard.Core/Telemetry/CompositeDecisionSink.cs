using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>Hands each decision to several sinks in order (e.g. the console, then OpenTelemetry).</summary>
public sealed class CompositeDecisionSink(params IDecisionSink[] sinks) : IDecisionSink
{
    public void Record(ModuleActivity activity, Decision decision)
    {
        foreach (IDecisionSink sink in sinks)
        {
            sink.Record(activity, decision);
        }
    }

    public void Flush()
    {
        foreach (IDecisionSink sink in sinks)
        {
            sink.Flush();
        }
    }
}
