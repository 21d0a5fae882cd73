namespace KmodGuard.Core.Events;

/// <summary>Where an activity came from, in the terms of the platform that reported it.</summary>
public abstract record ActivitySource;

/// <summary>A Linux audit event for init_module / finit_module / delete_module (or a watched file change).</summary>
public sealed record LinuxAuditSource : ActivitySource
{
    /// <summary>Syscall name (init_module, finit_module, delete_module, openat, ...); null if the number is unknown for the arch.</summary>
    public string? SyscallName { get; init; }
    public int? SyscallNumber { get; init; }

    /// <summary>Audit architecture name (x86_64, i386, aarch64, ...).</summary>
    public string? Arch { get; init; }
    public bool? Success { get; init; }

    /// <summary>The syscall's return value (negative errno on failure).</summary>
    public long? Exit { get; init; }

    /// <summary>Symbolic errno (ENOSYS, EEXIST, ...) when the call failed.</summary>
    public string? Errno { get; init; }

    /// <summary>Audit event serial number (per boot).</summary>
    public ulong? Serial { get; init; }

    /// <summary>The first syscall arguments a0..a3 as the kernel reports them.</summary>
    public IReadOnlyList<ulong>? Arguments { get; init; }

    /// <summary>The audit rule key(s) that matched.</summary>
    public string? Key { get; init; }
}

/// <summary>Endpoint Security event types KmodGuard subscribes to.</summary>
public enum EsEventType
{
    AuthKextLoad = 2,
    NotifyKextLoad = 17,
    NotifyKextUnload = 18,
}

/// <summary>A macOS Endpoint Security message.</summary>
public sealed record MacEndpointSecuritySource : ActivitySource
{
    public required EsEventType EventType { get; init; }
    public required uint MessageVersion { get; init; }

    /// <summary>Per-event-type sequence number (message version 2 and later).</summary>
    public ulong? SequenceNumber { get; init; }

    /// <summary>Sequence number across all event types (message version 4 and later).</summary>
    public ulong? GlobalSequenceNumber { get; init; }

    /// <summary>Time left before the AUTH deadline when the message reached KmodGuard.</summary>
    public TimeSpan? DeadlineRemaining { get; init; }
}
