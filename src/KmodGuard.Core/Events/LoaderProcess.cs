namespace KmodGuard.Core.Events;

/// <summary>The process that loaded, unloaded or changed persistence for a module.</summary>
public sealed record LoaderProcess
{
    public int? Pid { get; init; }
    public int? ParentPid { get; init; }
    public string? ExecutablePath { get; init; }

    /// <summary>The kernel's short name (comm on Linux), or the executable's file name on macOS.</summary>
    public string? Name { get; init; }

    public string? CommandLine { get; init; }
    public IReadOnlyList<string>? Arguments { get; init; }
    public string? WorkingDirectory { get; init; }

    public int? UserId { get; init; }
    public string? UserName { get; init; }
    public int? EffectiveUserId { get; init; }
    public string? EffectiveUserName { get; init; }

    /// <summary>Audit (login) user id; null when unset (4294967295) or not applicable.</summary>
    public int? AuditUserId { get; init; }
    public string? AuditUserName { get; init; }

    public long? SessionId { get; init; }
    public string? Tty { get; init; }

    /// <summary>Ancestors, nearest first: the parent, its parent, ...</summary>
    public IReadOnlyList<AncestorProcess>? Ancestors { get; init; }

    // macOS code-signing facts.
    public string? SigningId { get; init; }
    public string? TeamId { get; init; }
    public string? CdHash { get; init; }
    public bool? PlatformBinary { get; init; }

    /// <summary>The parent's executable, when known.</summary>
    public string? ParentExecutablePath => Ancestors is { Count: > 0 } a ? a[0].ExecutablePath : null;

    public static LoaderProcess Unknown { get; } = new();
}

/// <summary>One process in the loader's ancestry.</summary>
public sealed record AncestorProcess(int Pid, string? ExecutablePath, string? CommandLine);
