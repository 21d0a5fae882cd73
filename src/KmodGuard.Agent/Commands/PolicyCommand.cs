using System.CommandLine;
using System.Text.Json;
using KmodGuard.Core.Events;
using KmodGuard.Core.Policy;
using KmodGuard.Core.Policy.Compiled;
using KmodGuard.Core.Policy.Explain;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard policy check|explain|show-default</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create(ConsoleIo io)
    {
        var policy = new Command("policy", "Check, explain and show policies.");

        var checkFile = new Argument<FileInfo>("file") { Description = "Policy file (YAML or JSON)." };
        var check = new Command("check", "Validate a policy file: exit 0 with a summary, or print FILE:LINE:COL: message and exit 2.") { checkFile };
        check.SetAction(r => Check(io, r.GetValue(checkFile)!));
        policy.Add(check);

        var explainFile = new Argument<FileInfo>("file") { Description = "Policy file (YAML or JSON)." };
        var activity = new Option<string>("--activity")
        {
            Description = "JSON file (or - for stdin) with one activity, written with decision record keys; a line of 'kmodguard replay' output works.",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the explanation as JSON." };
        var explain = new Command("explain", "Show which rule matches an activity and why, condition by condition.") { explainFile, activity, json };
        explain.SetAction(r => Explain(io, r.GetValue(explainFile)!, r.GetValue(activity)!, r.GetValue(json)));
        policy.Add(explain);

        var showDefault = new Command("show-default", "Print the embedded default policy.");
        showDefault.SetAction(_ =>
        {
            io.Out.Write(DefaultPolicy.Text);
            return ExitCodes.Success;
        });
        policy.Add(showDefault);
        return policy;
    }

    private static int Check(ConsoleIo io, FileInfo file)
    {
        if (!TryLoad(io, file.ToString(), out CompiledPolicy? compiled))
        {
            return ExitCodes.Usage;
        }

        io.Out.WriteLine(Summary(compiled));
        return ExitCodes.Success;
    }

    internal static string Summary(CompiledPolicy p) =>
        $"{p.Source}: ok: version {p.Definition.Version}, mode {Words.Of(p.Mode)}, default {Words.Of(p.Definition.Default)}, " +
        $"{p.Rules.Count} rule{(p.Rules.Count == 1 ? "" : "s")}, sha256 {p.Sha256[..16]}";

    private static bool TryLoad(ConsoleIo io, string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompiledPolicy? compiled)
    {
        try
        {
            compiled = PolicyLoader.LoadFile(path);
            return true;
        }
        catch (PolicyLoadException e)
        {
            foreach (PolicyError error in e.Errors)
            {
                io.Error.WriteLine(error.ToString());
            }

            compiled = null;
            return false;
        }
    }

    private static int Explain(ConsoleIo io, FileInfo file, string activityPath, bool asJson)
    {
        if (!TryLoad(io, file.ToString(), out CompiledPolicy? compiled))
        {
            return ExitCodes.Usage;
        }

        ModuleActivity activity;
        try
        {
            string text = activityPath == "-" ? Console.In.ReadToEnd() : File.ReadAllText(activityPath);
            activity = ActivityRecordReader.Read(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            io.Error.WriteLine($"{activityPath}: {e.Message}");
            return ExitCodes.Usage;
        }

        PolicyExplanation explanation = PolicyExplainer.Explain(compiled.Definition, activity);
        if (asJson)
        {
            ExplanationPrinter.WriteJson(io.Out, explanation);
        }
        else
        {
            ExplanationPrinter.WriteText(io.Out, compiled, explanation);
        }

        return ExitCodes.Success;
    }
}
