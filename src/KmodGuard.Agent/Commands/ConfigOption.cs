using System.CommandLine;
using KmodGuard.Agent.Configuration;

namespace KmodGuard.Agent.Commands;

/// <summary>The <c>--config</c> option every command that reads kmodguard.yaml takes (run, status, ...).</summary>
internal static class ConfigOption
{
    public static Option<string> Create() => new("--config")
    {
        Description = $"The agent configuration file (default {AgentConfig.DefaultPath}; absent: built-in defaults).",
        DefaultValueFactory = _ => AgentConfig.DefaultPath,
    };
}
