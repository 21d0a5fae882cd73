namespace KmodGuard.Core.Events;

/// <summary>
/// One observed module load, unload or persistence change, in platform-neutral terms.
/// Unknown facts are null, never defaulted.
/// </summary>
public sealed record ModuleActivity
{
    /// <summary>Stable identifier for correlating later update records (e.g. "audit:1700000000.123:4711").</summary>
    public string? Id { get; init; }

    public required Platform Platform { get; init; }
    public required ModuleOperation Operation { get; init; }
    public ActivitySource? Source { get; init; }

    /// <summary>When the kernel says it happened (audit timestamp, ES message time).</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>When KmodGuard received it.</summary>
    public required DateTimeOffset ReceiveTime { get; init; }

    public ModuleFacts Module { get; init; } = ModuleFacts.Empty;
    public LoaderProcess Process { get; init; } = LoaderProcess.Unknown;

    /// <summary>Null when not determined.</summary>
    public ContainerContext? Container { get; init; }

    /// <summary>For persistence changes: the configuration file that changed.</summary>
    public string? ChangedPath { get; init; }

    /// <summary>The kernel's own messages about this module (signature, taint, rejection) and its taint letters.</summary>
    public IReadOnlyList<string>? KernelMessages { get; init; }
    public string? TaintFlags { get; init; }

    /// <summary>Enrichment that could not complete in time, with the reason (e.g. "file: loader exited").</summary>
    public IReadOnlyList<string>? Unresolved { get; init; }

    /// <summary>The path the policy's <c>file.path</c> condition sees: the module file, or the changed configuration file.</summary>
    public string? EffectiveFilePath => Module.FilePath ?? ChangedPath;
}
