using KmodGuard.Core.Decisions;
using KmodGuard.Core.Events;

namespace KmodGuard.Linux.Inventory;

/// <summary>
/// Turns an inventory finding into an alert that travels like any decision record (same sink, same keys): a built-in
/// rule id, the finding's severity and techniques (T1014 for a hidden module), verdict allow with rule action alert —
/// nothing to enforce: a module hidden from the list cannot be unloaded by name.
/// </summary>
internal static class InventoryAlerts
{
    public const string RulePrefix = "builtin-";

    public static (ModuleActivity Activity, Decision Decision) For(InventoryFinding finding, ModuleInventory inventory, PolicyMode mode)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(inventory);
        LoadedModule? module = inventory.Modules.FirstOrDefault(m => m.Name == finding.ModuleName);
        var activity = new ModuleActivity
        {
            Id = $"inventory:{inventory.BootId ?? "unknown-boot"}:{finding.Kind}:{finding.ModuleName ?? "kernel"}",
            Platform = Platform.Linux,
            Operation = ModuleOperation.Load,
            Source = new InventorySource(null, false),
            ReceiveTime = inventory.TakenAt,
            Module = new ModuleFacts { Name = finding.ModuleName, FilePath = module?.FilePath },
            TaintFlags = module?.Taint ?? inventory.Taint?.Letters,
            Unresolved = [InventoryActivities.UnresolvedLoader],
        };
        string rule = RulePrefix + System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(finding.Kind.ToString());
        var decision = new Decision
        {
            Verdict = Verdict.Allow,
            Severity = finding.Severity,
            RuleId = rule,
            RuleDescription = "KmodGuard cross-view check of /proc/modules, /sys/module and the kernel taint",
            RuleAction = RuleAction.Alert,
            Reason = finding.Message,
            Mode = mode,
            Techniques = finding.Techniques,
        };
        return (activity, decision);
    }
}
