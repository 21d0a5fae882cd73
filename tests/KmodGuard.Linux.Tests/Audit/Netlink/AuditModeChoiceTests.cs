using KmodGuard.Linux.Audit.Netlink;
using KmodGuard.Linux.Audit.Session;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

/// <summary>How the session picks unicast or multicast from AUDIT_GET (no kernel needed: the states a real kernel
/// can be in, including the locked one that cannot be undone on this test machine).</summary>
public sealed class AuditModeChoiceTests
{
    private static AuditStatus Status(uint enabled, uint pid) => new() { Enabled = enabled, Pid = pid };

    [Theory]
    [InlineData("Auto", 1u, 0u, "Unicast", "registering as the audit daemon")]
    [InlineData("Auto", 0u, 0u, "Unicast", "registering")]
    [InlineData("Auto", 1u, 1u, "Multicast", "owns unicast")]
    [InlineData("Auto", 1u, 4_194_305u, "Unicast", "no longer runs")] // above any pid_max: a dead registrant
    [InlineData("Unicast", 1u, 4_194_305u, "Unicast", "no longer runs")]
    [InlineData("Multicast", 1u, 4_194_305u, "Multicast", "multicast requested")]
    [InlineData("Auto", 2u, 0u, "Multicast", "locked")]
    [InlineData("Unicast", 2u, 0u, "Multicast", "locked")]
    [InlineData("Multicast", 1u, 0u, "Multicast", "multicast requested")]
    [InlineData("Unicast", 1u, 0u, "Unicast", "unicast requested")]
    public void Mode_follows_the_kernel_state(string requested, uint enabled, uint pid, string expected, string reason)
    {
        (AuditMode mode, string why) = AuditSession.ChooseMode(Enum.Parse<AuditMode>(requested), Status(enabled, pid));
        Assert.Equal(Enum.Parse<AuditMode>(expected), mode);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Forcing_unicast_beside_a_registered_daemon_is_refused_with_the_way_out()
    {
        AuditUnavailableException e = Assert.Throws<AuditUnavailableException>(() => AuditSession.ChooseMode(AuditMode.Unicast, Status(1, 1)));
        Assert.Contains("--audit-mode multicast", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_datagrams_never_throw_out_of_the_netlink_framing()
    {
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram = new byte[random.Next(0, 64)];
            random.NextBytes(datagram);
            if (datagram.Length >= 6 && random.Next(3) == 0)
            {
                // Plausible types: records, replies, errors.
                ushort type = (ushort)(random.Next(4) switch { 0 => 1300, 1 => 2, 2 => 1013, _ => 1000 });
                datagram[4] = (byte)type;
                datagram[5] = (byte)(type >> 8);
            }

            var messages = new NetlinkDatagram(datagram);
            while (messages.TryNext(out NetlinkMessage m))
            {
                Assert.True(m.Payload.Length <= datagram.Length);
            }
        }
    }
}
