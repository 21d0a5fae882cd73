using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.Tests.Shared.MacOS;

namespace KmodGuard.MacOS.Tests;

/// <summary>Loads the shim built against the ES test double, or skips the calling test with the reason.</summary>
internal static class FakeShim
{
    public static void Require()
    {
        Skip.If(FakeShimLibrary.Path is null, FakeShimLibrary.MissingReason);
        FakeShimLibrary.Install(typeof(EndpointSecurityGuard).Assembly, typeof(FakeShim).Assembly);
        FakeEndpointSecurity.Reset();
    }
}
