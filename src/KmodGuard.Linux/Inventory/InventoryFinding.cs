using KmodGuard.Core.Decisions;

namespace KmodGuard.Linux.Inventory;

/// <summary>One suspicious observation about the loaded modules, with the ATT&amp;CK techniques it indicates.</summary>
internal sealed record InventoryFinding(
    InventoryFindingKind Kind,
    string? ModuleName,
    Severity Severity,
    string Message,
    IReadOnlyList<string> Techniques);
