using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Core.Policy;

/// <summary>The policy built into the binary, used when no policy file is configured.</summary>
public static class DefaultPolicy
{
    public const string SourceName = "embedded:default-policy.yaml";
    private const string ResourceName = "KmodGuard.Core.Policy.default-policy.yaml";

    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using Stream stream = typeof(DefaultPolicy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The document text, as <c>kmodguard policy show-default</c> prints it.</summary>
    public static string Text => System.Text.Encoding.UTF8.GetString(Bytes.Value);

    public static CompiledPolicy Load() => PolicyLoader.Load(Bytes.Value, SourceName);
}
