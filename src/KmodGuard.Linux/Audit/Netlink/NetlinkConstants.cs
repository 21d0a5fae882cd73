namespace KmodGuard.Linux.Audit.Netlink;

/// <summary>Netlink and audit control constants (include/uapi/linux/netlink.h, include/uapi/linux/audit.h).</summary>
internal static class NetlinkConstants
{
    public const int HeaderLength = 16;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;

    public const ushort AUDIT_GET = 1000;
    public const ushort AUDIT_SET = 1001;
    public const ushort AUDIT_ADD_RULE = 1011;
    public const ushort AUDIT_DEL_RULE = 1012;
    public const ushort AUDIT_LIST_RULES = 1013;

    /// <summary>The kernel's probe to a registered daemon before accepting a new one; binary payload, not a record.</summary>
    public const ushort AUDIT_REPLACE = 1329;

    /// <summary>Audit records (kernel and user) live in 1100..2999; control messages below.</summary>
    public const ushort FirstRecordType = 1100;
    public const ushort LastRecordType = 2999;

    /// <summary>AUDIT_NLGRP_READLOG: the read-only multicast group.</summary>
    public const uint ReadLogGroup = 1;

    /// <summary>MAX_AUDIT_MESSAGE_LENGTH from libaudit, plus the header.</summary>
    public const int MaxMessageLength = 8970 + HeaderLength;

    public static bool IsRecord(ushort type) => type is >= FirstRecordType and <= LastRecordType && type != AUDIT_REPLACE;
}
