namespace KmodGuard.Linux.Tests.Audit;

/// <summary>Test data under tests/fixtures/audit (copied next to the test assembly at build time).</summary>
internal static class Fixtures
{
    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "fixtures", "audit", .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    public static string[] Lines(params string[] parts) => File.ReadAllLines(PathOf(parts));
}
