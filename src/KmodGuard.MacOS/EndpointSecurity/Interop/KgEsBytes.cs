using System.Runtime.CompilerServices;

namespace KmodGuard.MacOS.EndpointSecurity.Interop;

// The fixed-size character arrays of kg_es_event.

[InlineArray(256)]
internal struct KgEsBytes256
{
    private byte _first;
}

[InlineArray(32)]
internal struct KgEsBytes32
{
    private byte _first;
}

[InlineArray(48)]
internal struct KgEsBytes48
{
    private byte _first;
}

[InlineArray(1024)]
internal struct KgEsBytes1024
{
    private byte _first;
}
