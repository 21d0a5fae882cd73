using Microsoft.Win32.SafeHandles;

namespace KmodGuard.Linux.Modules.Resolution;

/// <summary>How a module file was found.</summary>
internal enum ModuleFileSource
{
    /// <summary>The finit_module descriptor, reopened through /proc/PID/fd/N: the very file the kernel read.</summary>
    Descriptor,

    /// <summary>The path insmod was given.</summary>
    InsmodArgument,

    /// <summary>The module modprobe was asked for, looked up in modules.dep / modules.alias.</summary>
    ModprobeLookup,
}

/// <summary>
/// The module file behind a load: its reported path and an open handle to inspect it through (kept open, so a
/// file deleted after the load stays readable), or why it is not known. Owns the handle.
/// </summary>
internal sealed record ModuleFileLocation : IDisposable
{
    public string? Path { get; init; }
    public SafeFileHandle? File { get; init; }
    public ModuleFileSource? Source { get; init; }

    /// <summary>The descriptor's target had been deleted (the link read "PATH (deleted)"; <see cref="Path"/> is PATH).</summary>
    public bool Deleted { get; init; }

    /// <summary>Why no file is known; null when <see cref="File"/> is set.</summary>
    public string? UnresolvedReason { get; init; }

    public static ModuleFileLocation Unresolved(string reason) => new() { UnresolvedReason = reason };

    public void Dispose() => File?.Dispose();
}
