namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// A CONFIG_CHANGE record (rule added or removed, audit enabled or disabled, audit pid set, ...) with the process that
/// made the change, taken from the event's SYSCALL record when there is one. Lets the live side notice someone
/// removing KmodGuard's rules or turning auditing off.
/// </summary>
internal sealed record AuditConfigChange
{
    /// <summary>"audit:1700000000.123:42".</summary>
    public required string Id { get; init; }

    public required DateTimeOffset EventTime { get; init; }

    public required uint Serial { get; init; }

    /// <summary><c>op=</c>: add_rule, remove_rule, set, trim, make_equiv, ...</summary>
    public string? Operation { get; init; }

    /// <summary>The rule's key (<c>key=</c>, decoded; several keys are joined with commas).</summary>
    public string? Key { get; init; }

    /// <summary>The rule's filter list number (<c>list=</c>, 4 = exit).</summary>
    public int? List { get; init; }

    /// <summary><c>res=</c>: whether the change took effect.</summary>
    public bool? Success { get; init; }

    public long? AuditUserId { get; init; }

    public long? SessionId { get; init; }

    public int? Pid { get; init; }

    public string? Comm { get; init; }

    public string? Executable { get; init; }

    /// <summary>Every field of the record, values decoded (audit_enabled, old, audit_pid, backlog_limit, ...).</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>True when the change turned auditing off (<c>op=set audit_enabled=0</c>) and took effect.</summary>
    public bool DisablesAuditing => Success != false && Fields.TryGetValue("audit_enabled", out string? v) && v == "0";

    /// <summary>True when a rule with <paramref name="key"/> among its keys was removed.</summary>
    public bool RemovesRuleWithKey(string key) =>
        Operation == "remove_rule" && Success != false && Key is not null && Key.Split(',').Contains(key, StringComparer.Ordinal);
}
