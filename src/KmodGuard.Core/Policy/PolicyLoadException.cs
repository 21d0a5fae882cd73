namespace KmodGuard.Core.Policy;

/// <summary>A policy document could not be loaded. Nothing of it was applied.</summary>
public sealed class PolicyLoadException : Exception
{
    public PolicyLoadException(IReadOnlyList<PolicyError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public PolicyLoadException()
        : this([])
    {
    }

    public PolicyLoadException(string message)
        : base(message)
    {
        Errors = [];
    }

    public PolicyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<PolicyError> Errors { get; }
}
