namespace KmodGuard.Core.Events;

/// <summary>Facts from a module's ELF <c>.modinfo</c> section. Absent tags are null.</summary>
public sealed record ModInfo
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? License { get; init; }
    public string? Vermagic { get; init; }
    public string? SrcVersion { get; init; }
    public IReadOnlyList<string>? Depends { get; init; }
    public bool? InTree { get; init; }
    public bool? Retpoline { get; init; }
    public string? Author { get; init; }
    public string? Description { get; init; }
}
