using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace KmodGuard.Agent.Service;

/// <summary>What this binary is: version, the commit it was built from (when the build knew it), runtime, NativeAOT or not.</summary>
internal sealed record AgentVersion(string Version, string? Commit, string Runtime, string RuntimeIdentifier, bool NativeAot)
{
    public static AgentVersion Current { get; } = Read();

    /// <summary>The version with a short commit, as the status document and the logs show it.</summary>
    [JsonIgnore]
    public string Short => Commit is null ? Version : $"{Version}+{Commit[..Math.Min(12, Commit.Length)]}";

    private static AgentVersion Read()
    {
        // The SDK appends "+<commit>" (SourceRevisionId, from git) to the informational version.
        string informational = typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        string version = plus < 0 ? informational : informational[..plus];
        string? commit = plus < 0 || plus == informational.Length - 1 ? null : informational[(plus + 1)..];
        return new AgentVersion(version, commit, RuntimeInformation.FrameworkDescription, RuntimeInformation.RuntimeIdentifier,
            // A NativeAOT process has compiled nothing at run time; a JIT one has compiled at least this method.
            // (RuntimeFeature.IsDynamicCodeSupported cannot tell: PublishAot turns it off for JIT builds too.)
            NativeAot: System.Runtime.JitInfo.GetCompiledMethodCount() == 0);
    }
}
