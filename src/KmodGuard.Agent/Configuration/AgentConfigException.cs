using KmodGuard.Core.Policy;

namespace KmodGuard.Agent.Configuration;

/// <summary>The configuration file is unusable; each error reads FILE:LINE:COL: message. The agent refuses to start.</summary>
internal sealed class AgentConfigException : Exception
{
    public AgentConfigException(IReadOnlyList<PolicyError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public AgentConfigException()
        : this([])
    {
    }

    public AgentConfigException(string message)
        : base(message)
    {
        Errors = [];
    }

    public AgentConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<PolicyError> Errors { get; }
}
