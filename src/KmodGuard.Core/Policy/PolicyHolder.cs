using KmodGuard.Core.Policy.Compiled;

namespace KmodGuard.Core.Policy;

/// <summary>The policy in force. Readers take a snapshot; a reload replaces it in one atomic write.</summary>
public sealed class PolicyHolder(CompiledPolicy initial)
{
    private CompiledPolicy _current = initial;

    public CompiledPolicy Current => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="next"/> and returns the policy it replaced.</summary>
    public CompiledPolicy Swap(CompiledPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Interlocked.Exchange(ref _current, next);
    }
}
