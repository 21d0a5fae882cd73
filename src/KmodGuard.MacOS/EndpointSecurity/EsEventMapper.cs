using System.Text;
using KmodGuard.Core.Events;
using KmodGuard.MacOS.EndpointSecurity.Interop;

namespace KmodGuard.MacOS.EndpointSecurity;

/// <summary>Maps the shim's flat event to Core's <see cref="ModuleActivity"/>. Unknown facts stay null.</summary>
internal static class EsEventMapper
{
    /// <summary>
    /// The activity as the policy sees it: only the facts a policy condition can test. <see cref="ToActivity"/> adds
    /// the rest, so both always agree on what the policy reads; <see cref="PolicyProbeCache"/> keys on exactly these inputs.
    /// </summary>
    public static ModuleActivity PolicyView(in KgEsEvent e)
    {
        string? executable = Text(e.ExecutableBytes);
        return new ModuleActivity
        {
            Platform = Platform.MacOS,
            Operation = e.EventType == KgEs.EventNotifyKextUnload ? ModuleOperation.Unload : ModuleOperation.Load,
            ReceiveTime = default,
            Module = new ModuleFacts { Name = Text(e.KextIdBytes) },
            Process = new LoaderProcess
            {
                ExecutablePath = executable,
                Name = executable is null ? null : Path.GetFileName(executable),
                UserId = (int)e.Ruid,
                SigningId = Text(e.SigningIdBytes),
                TeamId = Text(e.TeamIdBytes),
                PlatformBinary = e.Has(KgEsEventFlags.PlatformBinary),
            },
        };
    }

    public static ModuleActivity ToActivity(in KgEsEvent e, DateTimeOffset receiveTime)
    {
        ModuleActivity view = PolicyView(in e);
        bool auth = e.EventType == KgEs.EventAuthKextLoad;
        return view with
        {
            Id = e.Has(KgEsEventFlags.HasGlobalSeqNum) ? $"es:{e.GlobalSeqNum}"
                : e.Has(KgEsEventFlags.HasSeqNum) ? $"es:{e.EventType}:{e.SeqNum}" : null,
            Source = new MacEndpointSecuritySource
            {
                EventType = (EsEventType)e.EventType,
                MessageVersion = e.MessageVersion,
                SequenceNumber = e.Has(KgEsEventFlags.HasSeqNum) ? e.SeqNum : null,
                GlobalSequenceNumber = e.Has(KgEsEventFlags.HasGlobalSeqNum) ? e.GlobalSeqNum : null,
                DeadlineRemaining = auth ? TimeSpan.FromTicks(e.DeadlineNs / 100) : null,
            },
            EventTime = e.TimeUnixNs > 0 ? DateTimeOffset.UnixEpoch.AddTicks(e.TimeUnixNs / 100) : null,
            ReceiveTime = receiveTime,
            Process = view.Process with
            {
                Pid = e.Pid,
                ParentPid = e.Has(KgEsEventFlags.HasParentPids) ? e.ParentPid : e.Ppid,
                EffectiveUserId = (int)e.Euid,
                AuditUserId = e.Auid == uint.MaxValue ? null : (int)e.Auid, // AU_DEFAUDITID: no login user
                SessionId = e.SessionId,
                CdHash = CdHash(in e),
            },
            Unresolved = Truncations(in e),
        };
    }

    /// <summary>ES strings are bytes; invalid UTF-8 becomes U+FFFD rather than an error, control characters stay
    /// (the record writers escape them).</summary>
    private static string? Text(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? null : Encoding.UTF8.GetString(bytes);

    private static string? CdHash(in KgEsEvent e)
    {
        ReadOnlySpan<byte> hex = e.CdHashHex;
        return hex.IsEmpty || hex.IndexOfAnyExcept((byte)'0') < 0 ? null : Encoding.ASCII.GetString(hex);
    }

    private static string[]? Truncations(in KgEsEvent e)
    {
        if ((e.Flags & (KgEsEventFlags.ExecutableTruncated | KgEsEventFlags.KextIdTruncated |
                        KgEsEventFlags.SigningIdTruncated | KgEsEventFlags.TeamIdTruncated)) == 0)
        {
            return null;
        }

        var list = new List<string>(1);
        AddIf(list, e.Has(KgEsEventFlags.ExecutableTruncated), "process.executable: path truncated");
        AddIf(list, e.Has(KgEsEventFlags.KextIdTruncated), "module.name: kext identifier truncated");
        AddIf(list, e.Has(KgEsEventFlags.SigningIdTruncated), "process.signing_id: truncated");
        AddIf(list, e.Has(KgEsEventFlags.TeamIdTruncated), "process.team_id: truncated");
        return [.. list];
    }

    private static void AddIf(List<string> list, bool condition, string text)
    {
        if (condition)
        {
            list.Add(text);
        }
    }
}
