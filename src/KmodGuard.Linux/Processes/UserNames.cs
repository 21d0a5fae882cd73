using System.Collections.Concurrent;
using Mono.Unix.Native;

namespace KmodGuard.Linux.Processes;

/// <summary>
/// uid → user name through the system's user database (getpwuid_r via Mono.Posix, so NSS sources such as LDAP or
/// sssd work too). Answers, including "no such user", are cached for a few minutes: a flood of events costs one lookup.
/// </summary>
internal sealed class UserNames
{
    private const int MaxEntries = 4096;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<int, (string? Name, long Expires)> _cache = new();

    public static UserNames Shared { get; } = new();

    public string? NameOf(int? uid)
    {
        if (uid is not int id || id < 0)
        {
            return null;
        }

        long now = Environment.TickCount64;
        if (_cache.TryGetValue(id, out var entry) && entry.Expires > now)
        {
            return entry.Name;
        }

        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        string? name = Lookup((uint)id);
        _cache[id] = (name, now + (long)Lifetime.TotalMilliseconds);
        return name;
    }

    private static string? Lookup(uint uid) =>
        Syscall.getpwuid_r(uid, new Passwd(), out Passwd? entry) == 0 ? entry?.pw_name : null;
}
