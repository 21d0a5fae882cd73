using System.Runtime.CompilerServices;

namespace KmodGuard.Core.Policy.Compiled;

/// <summary>Stack storage for the sorted rule lists gathered during one evaluation.</summary>
[InlineArray(Capacity)]
internal struct CandidateLists
{
    public const int Capacity = 32;

    private int[] _element;
}
