using System.Runtime.CompilerServices;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.MacOS.Tests;

/// <summary>The managed mirrors of kmodguard_es.h must match the sizes the C side asserts (es_values_check.c).</summary>
public sealed class InteropLayoutTests
{
    [Fact]
    public void Struct_sizes_match_the_c_api()
    {
        Assert.Equal(KgEsEvent.Size, Unsafe.SizeOf<KgEsEvent>());
        Assert.Equal(32, Unsafe.SizeOf<KgEsConfig>());
        Assert.Equal(88, Unsafe.SizeOf<KgEsCounters>());
    }
}
