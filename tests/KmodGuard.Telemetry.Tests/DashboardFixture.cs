using KmodGuard.Tests.Shared;

namespace KmodGuard.Telemetry.Tests;

/// <summary>One unsecured dashboard shared by a test class; tests keep apart by service.name.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    internal AspireDashboard Dashboard { get; private set; } = null!;

    public async Task InitializeAsync() => Dashboard = await AspireDashboard.StartAsync();

    public async Task DisposeAsync() => await Dashboard.DisposeAsync();
}
