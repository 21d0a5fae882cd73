using KmodGuard.Core.Events;
using KmodGuard.MacOS.EndpointSecurity;
using KmodGuard.MacOS.EndpointSecurity.Interop;
using KmodGuard.Tests.Shared.MacOS;

namespace KmodGuard.MacOS.Tests;

public sealed class EsEventMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Maps_every_field_of_a_version_7_auth_message()
    {
        KgEsEvent e = TestEvents.Make(teamId: "ABCDE12345", ruid: 501);
        ModuleActivity a = EsEventMapper.ToActivity(in e, Now);

        Assert.Equal((Platform.MacOS, ModuleOperation.Load, "es:9"), (a.Platform, a.Operation, a.Id));
        Assert.Equal("com.apple.driver.AppleHV", a.Module.Name);
        Assert.Equal(SignatureStatus.Unknown, a.Module.SignatureStatus);
        Assert.Equal(Now, a.ReceiveTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_795_000_000), a.EventTime);
        var s = Assert.IsType<MacEndpointSecuritySource>(a.Source);
        Assert.Equal((EsEventType.AuthKextLoad, 7u, 5ul, 9ul), (s.EventType, s.MessageVersion, s.SequenceNumber, s.GlobalSequenceNumber));
        Assert.Equal(TimeSpan.FromSeconds(9), s.DeadlineRemaining);
        LoaderProcess p = a.Process;
        Assert.Equal((4242, 78, 501, 0, 501, 100003L), (p.Pid, p.ParentPid, p.UserId, p.EffectiveUserId, p.AuditUserId, p.SessionId));
        Assert.Equal(("/usr/sbin/kextload", "kextload", "com.apple.kextload", "ABCDE12345", true),
            (p.ExecutablePath, p.Name, p.SigningId, p.TeamId, p.PlatformBinary));
        Assert.Equal("c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3", p.CdHash);
        Assert.Null(a.Unresolved);
    }

    [Fact]
    public void A_version_1_message_has_no_sequence_numbers_and_takes_ppid_as_parent()
    {
        KgEsEvent e = TestEvents.Make(version: 1, type: KgEs.EventNotifyKextUnload);
        ModuleActivity a = EsEventMapper.ToActivity(in e, Now);
        var s = Assert.IsType<MacEndpointSecuritySource>(a.Source);
        Assert.Equal((ModuleOperation.Unload, (ulong?)null, (ulong?)null, (TimeSpan?)null),
            (a.Operation, s.SequenceNumber, s.GlobalSequenceNumber, s.DeadlineRemaining));
        Assert.Null(a.Id);
        Assert.Equal(77, a.Process.ParentPid);
    }

    [Fact]
    public void Empty_strings_and_unknown_values_stay_null()
    {
        KgEsEvent e = TestEvents.Make(kextId: "", signingId: "", executable: "");
        e.Auid = uint.MaxValue;
        ((Span<byte>)e.CdHash).Clear();
        e.TimeUnixNs = 0;
        ModuleActivity a = EsEventMapper.ToActivity(in e, Now);
        Assert.Equal((null, null, null, null, null), (a.Module.Name, a.Process.SigningId, a.Process.ExecutablePath, a.Process.Name, a.Process.TeamId));
        Assert.Null(a.Process.AuditUserId);
        Assert.Null(a.Process.CdHash);
        Assert.Null(a.EventTime);
    }

    [Fact]
    public void Hostile_names_are_kept_verbatim_and_invalid_utf8_does_not_throw()
    {
        KgEsEvent e = TestEvents.Make(kextId: "com.x\n\u001b[2J\u007f");
        e.SigningIdLength = TestEvents.Put(e.SigningId, [0x63, 0xff, 0xfe, 0x00, 0x41]);
        ModuleActivity a = EsEventMapper.ToActivity(in e, Now);
        Assert.Equal("com.x\n\u001b[2J\u007f", a.Module.Name);
        Assert.Equal("c\uFFFD\uFFFD\0A", a.Process.SigningId);
    }

    [Fact]
    public void Truncations_are_listed_as_unresolved_and_bogus_lengths_are_clamped()
    {
        KgEsEvent e = TestEvents.Make();
        e.Flags |= KgEsEventFlags.ExecutableTruncated | KgEsEventFlags.TeamIdTruncated;
        e.KextIdLength = ushort.MaxValue; // a broken shim must not make us read past the buffer
        ModuleActivity a = EsEventMapper.ToActivity(in e, Now);
        Assert.Equal(["process.executable: path truncated", "process.team_id: truncated"], a.Unresolved);
        Assert.Equal(256, a.Module.Name!.Length);
    }
}
