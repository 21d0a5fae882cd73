namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>
/// Remembers recent AUTH_KEXTLOAD messages that were answered ALLOW, so a NOTIFY_KEXTLOAD can be matched to the
/// authorization it follows. ES does not always deliver AUTH_KEXTLOAD (newer SDK headers say so), and a kext may
/// load before the client subscribed: a load without a matching authorization is reported as such.
/// Used only from the shim's single worker thread.
/// </summary>
internal sealed class AuthorizationLedger(int capacity = 256, TimeSpan? maxAge = null)
{
    private readonly TimeSpan _maxAge = maxAge ?? TimeSpan.FromMinutes(10);
    private readonly List<(string KextId, DateTimeOffset At)> _allowed = [];

    public void RecordAllowed(string kextId, DateTimeOffset at)
    {
        if (_allowed.Count == capacity)
        {
            _allowed.RemoveAt(0);
        }

        _allowed.Add((kextId, at));
    }

    /// <summary>Consumes the oldest unexpired authorization of <paramref name="kextId"/>; false when there is none.</summary>
    public bool TryConsume(string kextId, DateTimeOffset now)
    {
        _allowed.RemoveAll(a => now - a.At > _maxAge);
        int index = _allowed.FindIndex(a => a.KextId == kextId);
        if (index < 0)
        {
            return false;
        }

        _allowed.RemoveAt(index);
        return true;
    }
}
