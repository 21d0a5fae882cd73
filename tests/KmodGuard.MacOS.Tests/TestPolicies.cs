using KmodGuard.Core.Policy;

namespace KmodGuard.MacOS.Tests;

internal static class TestPolicies
{
    /// <summary>Only Apple's own signed platform binaries may load kexts.</summary>
    public static PolicyHolder AppleLoadersOnly(string mode = "enforce") => new(PolicyLoader.Load($"""
        version: 1
        mode: {mode}
        default: allow
        rules:
          - id: allow-apple-kext-loaders
            description: Apple's signed platform binaries
            action: allow
            when:
              platform: macos
              operation: load
              process.platform_binary: true
              process.signing_id: ["com.apple.*"]
          - id: deny-other-kext-loaders
            description: Any other process loading a kext
            action: deny
            when:
              platform: macos
              operation: load
        """, "test:apple-loaders-only"));
}
