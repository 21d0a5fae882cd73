namespace KmodGuard.Telemetry.Tests;

/// <summary>A test with its own state directory (disk retry and spill), deleted afterwards.</summary>
public abstract class StateDirectoryTest : IDisposable
{
    protected string State { get; } = Directory.CreateTempSubdirectory("kmodguard-state-").FullName;

    public void Dispose()
    {
        Directory.Delete(State, recursive: true);
        GC.SuppressFinalize(this);
    }
}
