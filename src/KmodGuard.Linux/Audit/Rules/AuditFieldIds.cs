namespace KmodGuard.Linux.Audit.Rules;

/// <summary>Rule field ids (UAPI AUDIT_PID ...), their auditctl names and how their values are written.</summary>
internal static class AuditFieldIds
{
    public const uint Pid = 0;
    public const uint Uid = 1;
    public const uint Euid = 2;
    public const uint Suid = 3;
    public const uint Fsuid = 4;
    public const uint Gid = 5;
    public const uint Egid = 6;
    public const uint Sgid = 7;
    public const uint Fsgid = 8;
    public const uint LoginUid = 9;
    public const uint Personality = 10;
    public const uint Arch = 11;
    public const uint MessageType = 12;
    public const uint SubjectUser = 13;
    public const uint SubjectRole = 14;
    public const uint SubjectType = 15;
    public const uint SubjectSensitivity = 16;
    public const uint SubjectClearance = 17;
    public const uint ParentPid = 18;
    public const uint ObjectUser = 19;
    public const uint ObjectRole = 20;
    public const uint ObjectType = 21;
    public const uint ObjectLevelLow = 22;
    public const uint ObjectLevelHigh = 23;
    public const uint LoginUidSet = 24;
    public const uint SessionId = 25;
    public const uint FsType = 26;
    public const uint DeviceMajor = 100;
    public const uint DeviceMinor = 101;
    public const uint Inode = 102;
    public const uint Exit = 103;
    public const uint Success = 104;
    public const uint Watch = 105;
    public const uint Perm = 106;
    public const uint Dir = 107;
    public const uint FileType = 108;
    public const uint ObjectUid = 109;
    public const uint ObjectGid = 110;
    public const uint FieldCompare = 111;
    public const uint Exe = 112;
    public const uint SocketAddressFamily = 113;
    public const uint Arg0 = 200;
    public const uint Arg3 = 203;
    public const uint FilterKey = 210;

    /// <summary>auditctl's field names (libaudit fieldtab); the first name of an id is the one listings print.</summary>
    private static readonly (string Name, uint Id)[] Names =
    [
        ("pid", Pid), ("uid", Uid), ("euid", Euid), ("suid", Suid), ("fsuid", Fsuid), ("gid", Gid), ("egid", Egid),
        ("sgid", Sgid), ("fsgid", Fsgid), ("auid", LoginUid), ("loginuid", LoginUid), ("pers", Personality),
        ("arch", Arch), ("msgtype", MessageType), ("subj_user", SubjectUser), ("subj_role", SubjectRole),
        ("subj_type", SubjectType), ("subj_sen", SubjectSensitivity), ("subj_clr", SubjectClearance),
        ("ppid", ParentPid), ("obj_user", ObjectUser), ("obj_role", ObjectRole), ("obj_type", ObjectType),
        ("obj_lev_low", ObjectLevelLow), ("obj_lev_high", ObjectLevelHigh), ("sessionid", SessionId),
        ("devmajor", DeviceMajor), ("devminor", DeviceMinor), ("inode", Inode), ("exit", Exit),
        ("success", Success), ("path", Watch), ("perm", Perm), ("dir", Dir), ("filetype", FileType),
        ("fstype", FsType), ("obj_uid", ObjectUid), ("obj_gid", ObjectGid), ("field_compare", FieldCompare),
        ("a0", Arg0), ("a1", Arg0 + 1), ("a2", Arg0 + 2), ("a3", Arg3), ("key", FilterKey), ("exe", Exe),
        ("saddr_fam", SocketAddressFamily),
    ];

    public static uint? IdOf(string name)
    {
        foreach ((string n, uint id) in Names)
        {
            if (n == name)
            {
                return id;
            }
        }

        return null;
    }

    public static string? NameOf(uint id)
    {
        foreach ((string n, uint i) in Names)
        {
            if (i == id)
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>Fields whose value is a string in the rule's buffer (the wire value is its length).</summary>
    public static bool IsString(uint id) =>
        id is >= SubjectUser and <= ObjectLevelHigh and not ParentPid or Watch or Dir or Exe or FilterKey;

    public static bool IsUid(uint id) => id is Uid or Euid or Suid or Fsuid or LoginUid or ObjectUid;

    public static bool IsGid(uint id) => id is Gid or Egid or Sgid or Fsgid or ObjectGid;

    public static bool IsArgument(uint id) => id is >= Arg0 and <= Arg3;

    /// <summary>Fields the kernel accepts only on the exit list (auditctl's EAU_EXITONLY checks).</summary>
    public static bool IsExitOnly(uint id) =>
        id is Exit or Watch or Dir or Perm or FileType or ParentPid or Success or (>= DeviceMajor and <= Inode)
            or (>= ObjectUser and <= ObjectLevelHigh);
}
