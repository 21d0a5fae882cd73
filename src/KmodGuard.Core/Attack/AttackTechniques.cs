using KmodGuard.Core.Events;

namespace KmodGuard.Core.Attack;

/// <summary>Maps activities to MITRE ATT&amp;CK technique ids. Results are shared, immutable arrays.</summary>
public static class AttackTechniques
{
    public const string Framework = "MITRE ATT&CK";

    /// <summary>Boot or Logon Autostart Execution: Kernel Modules and Extensions.</summary>
    public const string KernelModulesAndExtensions = "T1547.006";

    /// <summary>Boot or Logon Autostart Execution.</summary>
    public const string BootOrLogonAutostart = "T1547";

    /// <summary>Escape to Host.</summary>
    public const string EscapeToHost = "T1611";

    /// <summary>Rootkit (hidden modules).</summary>
    public const string Rootkit = "T1014";

    /// <summary>Impair Defenses: Disable or Modify Linux Audit System.</summary>
    public const string DisableOrModifyLinuxAudit = "T1562.012";

    private static readonly string[] Module = [KernelModulesAndExtensions];
    private static readonly string[] ModuleFromContainer = [KernelModulesAndExtensions, EscapeToHost];
    private static readonly string[] Persistence = [BootOrLogonAutostart];
    private static readonly string[] PersistenceFromContainer = [BootOrLogonAutostart, EscapeToHost];

    public static IReadOnlyList<string> For(ModuleActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        bool container = activity.Container?.InContainer == true;
        return activity.Operation == ModuleOperation.PersistenceChange
            ? container ? PersistenceFromContainer : Persistence
            : container ? ModuleFromContainer : Module;
    }
}
