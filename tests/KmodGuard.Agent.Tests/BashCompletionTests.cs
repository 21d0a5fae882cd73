using System.CommandLine;
using System.Diagnostics;

namespace KmodGuard.Agent.Tests;

/// <summary>The generated completion script, driven by a real bash the way bash-completion drives it.</summary>
public sealed class BashCompletionTests : IDisposable
{
    /// <summary>The subcommands issue 7 promises; other branches register some of them.</summary>
    public static TheoryData<string> IssueCommands => new()
    {
        "run", "replay", "rules print", "rules list", "inspect", "inventory",
        "policy check", "policy explain", "policy show-default", "status", "version",
    };

    private readonly TempDirectory _dir = new();
    private readonly string _script;

    public BashCompletionTests()
    {
        CliRunner.Result r = CliRunner.Run("completion", "bash");
        Assert.Equal(0, r.ExitCode);
        _script = _dir.Write("kmodguard.bash", r.Out);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Completes the last word of <paramref name="line"/> (a trailing space starts a new, empty word).</summary>
    private string[] Complete(string line)
    {
        Skip.IfNot(File.Exists("/bin/bash"), "needs bash");
        string[] words = line.Split(' ');
        string array = string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        // As bash-completion does: the script is sourced inside a function.
        string program = $"load() {{ . '{_script}'; }}; load; cd '{_dir.Path}'; COMP_WORDS=({array}); COMP_CWORD={words.Length - 1}; _kmodguard; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--norc");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(program);
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [SkippableFact]
    public void Top_level_lists_every_visible_command_and_hides_hidden_ones()
    {
        RootCommand root = Cli.Build(TextWriter.Null, TextWriter.Null);
        string[] offered = Complete("kmodguard ");
        Assert.Equal(root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).Order(), offered.Order());
        Assert.DoesNotContain("service-probe", offered);
    }

    [SkippableFact]
    public void Subcommands_options_and_values_complete_by_prefix()
    {
        Assert.Equal(["check", "explain", "show-default"], Complete("kmodguard policy "));
        Assert.Equal(["show-default"], Complete("kmodguard policy sh"));
        Assert.Equal(["--socket"], Complete("kmodguard status --so"));
        Assert.Contains("--json", Complete("kmodguard status -"));
        Assert.Contains("--help", Complete("kmodguard status -"));
        Assert.Equal(["bash"], Complete("kmodguard completion "));
    }

    [SkippableFact]
    public void Option_values_and_file_arguments_complete_as_file_names()
    {
        _dir.Write("policy-a.yaml", "");
        Assert.Equal(["policy-a.yaml"], Complete("kmodguard policy check policy-"));
        Assert.Equal(["policy-a.yaml"], Complete("kmodguard status --config policy-"));
        // An option's value is skipped when finding the command: "status" after --socket is a file name, not a command.
        Assert.Contains("--json", Complete("kmodguard status --socket x -"));
    }

    [SkippableTheory]
    [MemberData(nameof(IssueCommands))]
    public void Every_command_of_the_issue_completes_once_registered(string command)
    {
        string[] path = command.Split(' ');
        Command? c = Cli.Build(TextWriter.Null, TextWriter.Null);
        foreach (string name in path)
        {
            c = c?.Subcommands.FirstOrDefault(s => s.Name == name);
        }

        Skip.If(c is null, $"'kmodguard {command}' is not registered on this branch yet (another area implements it)");
        string line = "kmodguard " + string.Join(' ', path[..^1]) + (path.Length > 1 ? " " : "") + path[^1][..1];
        Assert.Contains(path[^1], Complete(line));
    }
}
