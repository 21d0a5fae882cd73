namespace KmodGuard.Core.Events;

/// <summary>
/// Whether the loader runs in the host's namespaces or in a container. An activity whose container
/// context could not be determined carries no <see cref="ContainerContext"/> at all (null), never a guess.
/// </summary>
public sealed record ContainerContext(bool InContainer, string? Id, string? Runtime)
{
    /// <summary>The loader shares the host's namespaces.</summary>
    public static ContainerContext Host { get; } = new(false, null, null);

    public static ContainerContext Container(string? id, string? runtime) => new(true, id, runtime);
}
