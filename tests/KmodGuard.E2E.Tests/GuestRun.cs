using System.Text.Json;

namespace KmodGuard.E2E.Tests;

/// <summary>What the guest reported on its results port (tests/e2e/guest/lib.sh describes the protocol), and guest.env.</summary>
public sealed class GuestRun
{
    private const string Prefix = "@@E2E ";

    private GuestRun(IReadOnlyDictionary<string, string> env, Dictionary<string, string> boot, Dictionary<string, Scenario> scenarios, bool done, string console)
    {
        Env = env;
        Boot = boot;
        Scenarios = scenarios;
        Done = done;
        Console = console;
    }

    /// <summary>guest.env: RELEASE, PACKAGE, VERSION, DUMMY_PATH, DUMMY_SHA256, ...</summary>
    public IReadOnlyDictionary<string, string> Env { get; }

    /// <summary>The "@@E2E boot" line's KEY=VALUE pairs (release, agent, agent_runs).</summary>
    public IReadOnlyDictionary<string, string> Boot { get; }

    public IReadOnlyDictionary<string, Scenario> Scenarios { get; }

    /// <summary>The guest ran every scenario and reached its power-off.</summary>
    public bool Done { get; }

    /// <summary>The serial console (kernel log and command output), for failure messages.</summary>
    public string Console { get; }

    public bool AgentPresent => Boot.GetValueOrDefault("agent") == "yes";

    public bool AgentRuns => Boot.GetValueOrDefault("agent_runs") == "yes";

    public Scenario this[string name] => Scenarios.TryGetValue(name, out Scenario? s) ? s : throw new KeyNotFoundException($"the guest reported no scenario '{name}'");

    public static GuestRun Load(string directory)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        string envFile = Path.Combine(directory, "guest.env");
        foreach (string line in File.Exists(envFile) ? File.ReadAllLines(envFile) : [])
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                env[line[..eq]] = line[(eq + 1)..];
            }
        }

        string results = Path.Combine(directory, "results.log");
        string consoleFile = Path.Combine(directory, "console.log");
        return Parse(File.Exists(results) ? File.ReadAllText(results) : "", env, File.Exists(consoleFile) ? File.ReadAllText(consoleFile) : "");
    }

    public static GuestRun Parse(string results, IReadOnlyDictionary<string, string> env, string console)
    {
        var boot = new Dictionary<string, string>(StringComparer.Ordinal);
        var scenarios = new Dictionary<string, Scenario>(StringComparer.Ordinal);
        bool done = false;
        foreach (string raw in results.Split('\n'))
        {
            // Terminal control sequences may precede a line on a serial port.
            int at = raw.IndexOf(Prefix, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            string line = raw[at..].TrimEnd('\r');

            string[] f = line[Prefix.Length..].Split(' ', 3);
            Scenario S() => scenarios.TryGetValue(f[1], out Scenario? s) ? s : scenarios[f[1]] = new Scenario(f[1]);
            switch (f[0])
            {
                case "boot":
                    foreach (string pair in line[Prefix.Length..].Split(' ').Skip(1))
                    {
                        string[] kv = pair.Split('=', 2);
                        boot[kv[0]] = kv.Length > 1 ? kv[1] : "";
                    }

                    break;
                case "done":
                    done = true;
                    break;
                case "begin" when f.Length >= 2:
                    S();
                    break;
                case "end" when f.Length >= 2:
                    S().Ended = true;
                    break;
                case "obs" when f.Length == 3:
                    string[] kv2 = f[2].Split(' ', 2);
                    S().Observe(kv2[0], kv2.Length > 1 ? kv2[1] : "");
                    break;
                case "modules" when f.Length == 3:
                    string[] lv = f[2].Split(' ', 2);
                    S().AddModuleLine(lv[0], lv.Length > 1 ? lv[1] : "-");
                    break;
                case "kmsg" when f.Length == 3:
                    S().KernelLog.Add(f[2]);
                    break;
                case "record" when f.Length == 3:
                    S().AddRecord(f[2]);
                    break;
            }
        }

        return new GuestRun(env, boot, scenarios, done, console);
    }
}
