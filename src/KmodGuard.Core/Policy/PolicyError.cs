namespace KmodGuard.Core.Policy;

/// <summary>One problem in a policy document, located by 1-based line and column.</summary>
public sealed record PolicyError(string Source, int Line, int Column, string Message)
{
    public override string ToString() => $"{Source}:{Line}:{Column}: {Message}";
}
