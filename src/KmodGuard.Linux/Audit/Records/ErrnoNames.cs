namespace KmodGuard.Linux.Audit.Records;

/// <summary>Linux errno names (the generic table shared by x86, arm and aarch64), generated from the kernel headers.</summary>
internal static partial class ErrnoNames
{
    private static readonly string?[] Names = CreateNames();
    private static readonly Dictionary<string, int> Numbers = Names.Select((name, number) => (name, number))
        .Where(p => p.name is not null).ToDictionary(p => p.name!, p => p.number, StringComparer.Ordinal);

    /// <summary>"ENOSYS" for 38; null when the number has no name.</summary>
    public static string? NameOf(long errno) => errno > 0 && errno < Names.Length ? Names[errno] : null;

    public static bool TryGetNumber(string name, out int errno) => Numbers.TryGetValue(name, out errno);
}
