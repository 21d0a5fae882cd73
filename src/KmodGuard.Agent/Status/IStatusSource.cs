namespace KmodGuard.Agent.Status;

/// <summary>Where the status server gets the agent's state; called for each <c>kmodguard status</c>, from the server's thread.</summary>
internal interface IStatusSource
{
    StatusSnapshot Snapshot();
}
