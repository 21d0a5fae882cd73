using System.CommandLine;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard completion bash</c>: prints the completion script the package installs.</summary>
internal static class CompletionCommand
{
    public static Command Create(ConsoleIo io, Func<Command> root)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash." };
        shell.AcceptOnlyFromAmong("bash");
        var command = new Command("completion",
            "Print the shell completion script (the package installs it as /usr/share/bash-completion/completions/kmodguard).") { shell };
        command.SetAction(_ =>
        {
            io.Out.Write(BashCompletion.Generate(root()));
            return ExitCodes.Success;
        });
        return command;
    }
}
