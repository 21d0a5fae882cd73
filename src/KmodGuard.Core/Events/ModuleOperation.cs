namespace KmodGuard.Core.Events;

/// <summary>What happened to a kernel module or extension.</summary>
public enum ModuleOperation
{
    Load,
    Unload,

    /// <summary>A change to configuration that makes modules load at boot (modules-load.d, modprobe.d, /etc/modules).</summary>
    PersistenceChange,
}
