namespace KmodGuard.Linux.Inventory;

/// <summary>One kernel taint bit (Documentation/admin-guide/tainted-kernels.rst).</summary>
internal sealed record TaintFlag(int Bit, char Letter, string Meaning);
