using System.CommandLine;
using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Rules;
using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard rules print</c>: the audit rules the agent installs; <c>kmodguard rules list</c>: the kernel's
/// current rules, as <c>auditctl -l</c> lists them.</summary>
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

        var list = new Command("list", "List the kernel's current audit rules, as auditctl -l does (needs root).");
        list.SetAction(_ => List(io));
        rules.Add(list);
        return rules;
    }

    private static int List(ConsoleIo io)
    {
        List<byte[]> kernel;
        try
        {
            using AuditNetlinkSocket socket = AuditNetlinkSocket.Open();
            kernel = new AuditControl(socket).ListRules();
        }
        catch (AuditNetlinkException e)
        {
            io.Error.WriteLine($"kmodguard: cannot list the audit rules: {AuditStartupErrors.Explain(e, multicast: false).Message}");
            return ExitCodes.Usage;
        }
        catch (TimeoutException e)
        {
            io.Error.WriteLine($"kmodguard: cannot list the audit rules: {e.Message}");
            return ExitCodes.Failure;
        }

        if (kernel.Count == 0)
        {
            io.Out.WriteLine("No rules");
        }

        foreach (byte[] data in kernel)
        {
            try
            {
                io.Out.WriteLine(AuditRule.FromWireFormat(data).ToAuditctlText());
            }
            catch (AuditRuleException e)
            {
                io.Out.WriteLine($"# a rule kmodguard cannot decode ({e.Message})");
            }
        }

        return ExitCodes.Success;
    }
}
