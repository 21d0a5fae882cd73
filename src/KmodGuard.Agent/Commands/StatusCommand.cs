using System.CommandLine;
using System.Text.Json;
using KmodGuard.Agent.Configuration;
using KmodGuard.Agent.Status;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard status</c>: the running agent's state, or the kernel's audit status when no agent runs.</summary>
internal static class StatusCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static Command Create(ConsoleIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON document." };
        var socket = new Option<string?>("--socket")
        {
            Description = "The agent's status socket (default: status_socket from the configuration, /run/kmodguard/status.sock).",
        };
        var config = ConfigOption.Create();
        var command = new Command("status",
            "Show whether the agent runs, its audit mode, rules, counters, policy and telemetry; without an agent, the kernel's audit status. " +
            "Exit 0: running, 3: not running, 1: cannot tell.")
        {
            json, socket, config,
        };
        command.SetAction(r => Run(io, r.GetValue(json), r.GetValue(socket), r.GetValue(config)!));
        return command;
    }

    private static int Run(ConsoleIo io, bool asJson, string? socketOption, string configPath)
    {
        string socket = socketOption ?? SocketFromConfig(io, configPath);
        StatusAnswer answer = StatusClient.Query(socket, Timeout);
        StatusReport report = answer.Kind == StatusAnswerKind.Running
            ? new StatusReport(true, socket, answer.Snapshot, null, null, null)
            : WithKernel(new StatusReport(false, socket, null, answer.Message, null, null));

        if (asJson)
        {
            io.Out.WriteLine(JsonSerializer.Serialize(report, AgentJsonContext.Default.StatusReport));
        }
        else if (report.Agent is { } snapshot)
        {
            StatusPrinter.WriteAgent(io.Out, snapshot, DateTimeOffset.UtcNow);
        }
        else
        {
            StatusPrinter.WriteNotRunning(io.Out, report);
        }

        return answer.Kind switch
        {
            StatusAnswerKind.Running => ExitCodes.Success,
            StatusAnswerKind.NotRunning => ExitCodes.NotRunning,
            _ => ExitCodes.Failure,
        };
    }

    private static StatusReport WithKernel(StatusReport report)
    {
        KernelAuditReport? kernel = KernelAuditReader.TryRead(out string? error);
        return report with { Kernel = kernel, KernelError = error };
    }

    /// <summary>A broken configuration must not hide the status: say so and use the default socket.</summary>
    private static string SocketFromConfig(ConsoleIo io, string configPath)
    {
        try
        {
            return AgentConfigLoader.LoadFile(configPath).StatusSocket;
        }
        catch (AgentConfigException e)
        {
            io.Error.WriteLine($"warning: {(e.Errors.Count > 0 ? e.Errors[0].ToString() : e.Message)}; using the default status socket");
            return AgentConfig.Default.StatusSocket;
        }
    }
}
