using System.Buffers.Binary;
using KmodGuard.Core.Events;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>
/// Reuses the policy view of events that look the same to the policy (same kext, loader, signing and user), so
/// deciding an AUTH message allocates nothing once its kind has been seen. Direct-mapped: a collision only costs
/// one rebuild. Safe for concurrent readers: entries are immutable and replaced whole.
/// </summary>
internal sealed class PolicyProbeCache
{
    private const int Slots = 256;
    private const int MaxKey = 2 + 4 + (4 * 2) + 256 + 256 + 32 + 1024;

    private readonly Entry?[] _entries = new Entry?[Slots];

    public ModuleActivity Get(in KgEsEvent e)
    {
        Span<byte> buffer = stackalloc byte[MaxKey];
        ReadOnlySpan<byte> key = buffer[..WriteKey(in e, buffer)];
        var hash = new HashCode();
        hash.AddBytes(key);
        ref Entry? slot = ref _entries[hash.ToHashCode() & (Slots - 1)];
        Entry? entry = Volatile.Read(ref slot);
        if (entry is not null && key.SequenceEqual(entry.Key))
        {
            return entry.View;
        }

        entry = new Entry(key.ToArray(), EsEventMapper.PolicyView(in e));
        Volatile.Write(ref slot, entry);
        return entry.View;
    }

    /// <summary>Exactly the inputs of <see cref="EsEventMapper.PolicyView"/>, length-prefixed so fields cannot run together.</summary>
    private static int WriteKey(in KgEsEvent e, Span<byte> key)
    {
        key[0] = e.EventType == KgEs.EventNotifyKextUnload ? (byte)1 : (byte)0;
        key[1] = e.Has(KgEsEventFlags.PlatformBinary) ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(key[2..], e.Ruid);
        int at = 6;
        at = Append(key, at, e.KextIdBytes);
        at = Append(key, at, e.SigningIdBytes);
        at = Append(key, at, e.TeamIdBytes);
        return Append(key, at, e.ExecutableBytes);
    }

    private static int Append(Span<byte> key, int at, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(key[at..], (ushort)field.Length);
        field.CopyTo(key[(at + 2)..]);
        return at + 2 + field.Length;
    }

    private sealed record Entry(byte[] Key, ModuleActivity View);
}
