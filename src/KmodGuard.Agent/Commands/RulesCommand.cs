using System.CommandLine;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard rules print</c>: the audit rules the agent installs, as <c>auditctl -l</c> would list them.</summary>
internal static class RulesCommand
{
    public static Command Create(ConsoleIo io)
    {
        var rules = new Command("rules", "Show KmodGuard's audit rules.");
        var print = new Command("print", "Print the audit rules the agent would install on this machine, in auditctl -l syntax.");
        print.SetAction(_ =>
        {
            foreach (KmodGuardRule rule in KmodGuardRuleSet.ForThisMachine().Rules)
            {
                io.Out.WriteLine(rule.Text);
            }

            return ExitCodes.Success;
        });
        rules.Add(print);
        return rules;
    }
}
