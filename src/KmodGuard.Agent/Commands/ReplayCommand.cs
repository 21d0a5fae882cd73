using System.CommandLine;
using KmodGuard.Agent.Runtime;
using KmodGuard.Telemetry;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Telemetry;
using KmodGuard.Linux.Audit.Events;
using KmodGuard.Linux.Audit.Replay;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard replay FILE...</c>: runs a policy over auditd logs, one decision record per module activity.</summary>
internal static class ReplayCommand
{
    public static Command Create(ConsoleIo io)
    {
        var files = new Argument<string[]>("file")
        {
            Description = "auditd logs, RAW or ENRICHED; rotated logs (audit.log.2 audit.log.1 audit.log) are read oldest first; - reads stdin.",
            Arity = ArgumentArity.OneOrMore,
        };
        var policy = new Option<FileInfo?>("--policy") { Description = "Policy file (YAML or JSON); default: the embedded default policy." };
        var format = new Option<string>("--format") { Description = "Decision records as json (default) or text.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "text");
        var replay = new Command("replay", "Replay auditd logs through the policy: decision records on stdout, diagnostics on stderr.") { files, policy, format };
        replay.SetAction(r => Run(io, r.GetValue(files)!, r.GetValue(policy), r.GetValue(format) == "text" ? DecisionRecordFormat.Text : DecisionRecordFormat.Json));
        return replay;
    }

    private static int Run(ConsoleIo io, string[] files, FileInfo? policyFile, DecisionRecordFormat format)
    {
        CompiledPolicy policy;
        try
        {
            policy = policyFile is null ? DefaultPolicy.Load() : PolicyLoader.LoadFile(policyFile.ToString());
        }
        catch (PolicyLoadException e)
        {
            foreach (PolicyError error in e.Errors)
            {
                io.Error.WriteLine(error.ToString());
            }

            return ExitCodes.Usage;
        }

        // Decisions also go to an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT is set. Nothing is kept on
        // disk for a replay (the log itself can be replayed again): its overflow spill lives in a private temporary
        // directory, removed at the end.
        string state = Directory.CreateTempSubdirectory("kmodguard-replay-").FullName;
        try
        {
            return Replay(io, files, policy, format, state);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static int Replay(ConsoleIo io, string[] files, CompiledPolicy policy, DecisionRecordFormat format, string stateDirectory)
    {
        AuditLogReplay? replay = null;
        var settings = new TelemetrySettings { StateDirectory = stateDirectory, DiskRetry = false };
        using TelemetryPipeline telemetry = TelemetryPipeline.Start(settings, new ConsoleDecisionSink(io.Out, format), AgentLogging.ToStandardError);
        var sink = new ReplayEventSink(policy, telemetry.Decisions, io.Error, () => replay!.Location);
        replay = new AuditLogReplay(sink);
        IReadOnlyList<string> ordered = AuditLogFiles.InWrittenOrder(files);
        int unreadable = 0;
        foreach (string file in ordered)
        {
            try
            {
                using Stream log = file == "-" ? Console.OpenStandardInput() : File.OpenRead(file);
                replay.Replay(file == "-" ? "<stdin>" : file, log);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"{file}: cannot read: {e.Message}");
                unreadable++;
            }
        }

        replay.Finish();
        AuditPipelineCounters c = replay.Counters;
        io.Error.WriteLine($"replay: {ordered.Count - unreadable} of {ordered.Count} file(s), {c.Records} records, {c.Events} events, "
            + $"{c.Activities} activities, {c.MalformedRecords} malformed records skipped, {c.LostSerials} events lost");
        return unreadable > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }
}
