namespace KmodGuard.E2E.Tests;

/// <summary>Every e2e test reads the results of one guest boot: the boot happens once, in <see cref="GuestFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class GuestCollection : ICollectionFixture<GuestFixture>
{
    public const string Name = "qemu guest (one boot)";
}
