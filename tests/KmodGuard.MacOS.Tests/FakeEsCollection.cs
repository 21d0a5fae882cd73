namespace KmodGuard.MacOS.Tests;

/// <summary>
/// Tests that load the shim built against the ES test double: the double is one simulated kernel per process,
/// so they run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FakeEsCollection
{
    public const string Name = "ES test double (serialized)";
}
