using KmodGuard.Linux.Audit.Netlink;

namespace KmodGuard.Linux.Tests.Audit.Netlink;

[Collection(AuditSocketCollection.Name)]
public sealed class AuditControlTests
{
    [SkippableFact]
    public void Status_and_rule_listing_come_back_from_the_kernel()
    {
        LiveAudit.SkipUnlessAvailable();
        using AuditNetlinkSocket socket = AuditNetlinkSocket.Open();
        var control = new AuditControl(socket);
        AuditStatus status = control.GetStatus();
        Assert.True(status.BacklogLimit > 0);
        Assert.InRange(status.Enabled, 0u, 2u);
        Assert.NotNull(control.ListRules());
    }
}
