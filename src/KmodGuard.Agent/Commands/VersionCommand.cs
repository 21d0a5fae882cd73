using System.CommandLine;
using System.Text.Json;
using KmodGuard.Agent.Service;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard version</c>.</summary>
internal static class VersionCommand
{
    public static Command Create(ConsoleIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the version as JSON." };
        var command = new Command("version", "Show the version, the commit it was built from, the runtime and whether it is the NativeAOT build.") { json };
        command.SetAction(r =>
        {
            AgentVersion v = AgentVersion.Current;
            io.Out.WriteLine(r.GetValue(json)
                ? JsonSerializer.Serialize(v, AgentJsonContext.Default.AgentVersion)
                : $"kmodguard {v.Version}{(v.Commit is null ? "" : $" (commit {v.Commit})")}, {v.Runtime}, {v.RuntimeIdentifier}, {(v.NativeAot ? "NativeAOT" : "JIT")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
