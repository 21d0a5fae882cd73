using System.CommandLine;
using KmodGuard.Linux;
using KmodGuard.Linux.Inventory;

namespace KmodGuard.Agent.Commands;

/// <summary><c>kmodguard inventory [--json]</c>: the loaded modules, the kernel's taint, hidden-module findings and changes since the agent's baseline.</summary>
internal static class InventoryCommand
{
    public const string DefaultStateDirectory = "/var/lib/kmodguard";

    public static Command Create(ConsoleIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the inventory as one JSON object." };
        var root = new Option<string>("--root")
        {
            Description = "Read /proc, /sys and /lib/modules under this directory instead of / (a copied system, tests).",
            DefaultValueFactory = _ => "/",
        };
        var stateDir = new Option<string>("--state-dir")
        {
            Description = "The agent's state directory: its last module baseline is compared, not changed.",
            DefaultValueFactory = _ => DefaultStateDirectory,
        };
        var command = new Command("inventory", "List the loaded kernel modules with their sysfs facts and files, decode the kernel taint, and report hidden modules.")
        {
            json, root, stateDir,
        };
        command.SetAction(r => Run(io, r.GetValue(root)!, r.GetValue(stateDir)!, r.GetValue(json)));
        return command;
    }

    private static int Run(ConsoleIo io, string root, string stateDirectory, bool asJson)
    {
        if (!Directory.Exists(root))
        {
            io.Error.WriteLine($"--root {root}: no such directory");
            return ExitCodes.Usage;
        }

        // The module inspector (issue 4, requirements 1-2) plugs in here as the reader's inspectFile delegate.
        ModuleInventory inventory = new ModuleInventoryReader(new HostPaths(root)).Read();
        var store = new InventoryBaselineStore(stateDirectory);
        InventoryBaseline? baseline = store.Load(out string? baselineError);
        BaselineChanges changes = BaselineChanges.Compare(baseline, inventory);
        if (baselineError is not null)
        {
            inventory = inventory with { Errors = [.. inventory.Errors, baselineError] };
        }

        if (asJson)
        {
            InventoryPrinter.WriteJson(io.Out, inventory, store.FilePath, changes);
        }
        else
        {
            InventoryPrinter.WriteText(io.Out, inventory, store.FilePath, changes);
        }

        foreach (string error in inventory.Errors)
        {
            io.Error.WriteLine($"warning: {error}");
        }

        return ExitCodes.Success;
    }
}
