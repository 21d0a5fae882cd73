using System.CommandLine;
using KmodGuard.Agent.Commands;

namespace KmodGuard.Agent;

/// <summary>The kmodguard command tree. Each subcommand lives in its own file under Commands/.</summary>
internal static class Cli
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("KmodGuard: watches kernel module loads and unloads, decides by policy, enforces and reports.");
        var io = new ConsoleIo(stdout, stderr);
        root.Add(RunCommand.Create(io));
        root.Add(PolicyCommand.Create(io));
        root.Add(InspectCommand.Create(io));
        root.Add(InventoryCommand.Create(io));
        root.Add(StatusCommand.Create(io));
        root.Add(VersionCommand.Create(io));
        root.Add(CompletionCommand.Create(io, () => root));
        root.Add(ServiceProbeCommand.Create(io));
        root.Add(ReplayCommand.Create(io));
        root.Add(RulesCommand.Create(io));
        return root;
    }

    public static int Invoke(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RootCommand root = Build(stdout, stderr);
        ParseResult parsed = root.Parse(args);
        // ProcessTerminationTimeout null: the long-running commands handle SIGTERM/SIGINT themselves (StopSignal).
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null });
    }
}

/// <summary>Where a command writes: results to <see cref="Out"/>, diagnostics to <see cref="Error"/>.</summary>
internal sealed record ConsoleIo(TextWriter Out, TextWriter Error);
