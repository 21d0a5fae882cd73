namespace KmodGuard.Agent.Status;

/// <summary>The status socket cannot be served; the message says why and what to do.</summary>
internal sealed class StatusSocketException : Exception
{
    public StatusSocketException()
    {
    }

    public StatusSocketException(string message)
        : base(message)
    {
    }

    public StatusSocketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
