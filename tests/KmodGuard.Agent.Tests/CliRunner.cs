namespace KmodGuard.Agent.Tests;

/// <summary>Runs the kmodguard command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Invoke(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}
