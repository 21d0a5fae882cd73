using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Core.Telemetry;

/// <summary>Prints each decision as one line (JSON or text) on a text writer, normally stdout.</summary>
public sealed class ConsoleDecisionSink(TextWriter output, DecisionRecordFormat format) : IDecisionSink
{
    private readonly DecisionRecordWriter _writer = new(output, format);

    public void Record(ModuleActivity activity, Decision decision) => _writer.Write(activity, decision, flush: false);

    public void Flush() => _writer.Flush();
}
