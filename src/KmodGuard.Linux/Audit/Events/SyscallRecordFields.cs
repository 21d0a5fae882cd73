using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>The fields of a SYSCALL record KmodGuard uses, read in one pass. Raw spans are not decoded yet.</summary>
internal ref struct SyscallRecordFields
{
    public uint? Arch;
    public long? Syscall;
    public bool? Success;
    public long? Exit;
    public ulong[]? Arguments;
    public long? Pid;
    public long? ParentPid;
    public long? Uid;
    public long? Euid;
    public long? Auid;
    public long? Session;
    public ReadOnlySpan<byte> Tty;
    public ReadOnlySpan<byte> Comm;
    public ReadOnlySpan<byte> Exe;
    public ReadOnlySpan<byte> Key;

    /// <summary>Only arch and syscall: enough to know whether the event matters, without allocating.</summary>
    public static bool TryReadCall(ReadOnlySpan<byte> body, out uint arch, out long syscall)
    {
        arch = 0;
        syscall = -1;
        bool haveArch = false;
        foreach (AuditField f in new AuditFieldEnumerator(body))
        {
            if (f.Name.SequenceEqual("arch"u8))
            {
                haveArch = AuditValue.TryParseHex(f.RawValue, out ulong a) && a <= uint.MaxValue;
                arch = (uint)a;
            }
            else if (f.Name.SequenceEqual("syscall"u8))
            {
                return haveArch && AuditValue.TryParseInt64(f.RawValue, out syscall);
            }
        }

        return false;
    }

    /// <summary>Only the raw key field.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> rawKey) => AuditFieldEnumerator.TryFind(body, "key"u8, out rawKey);

    public static SyscallRecordFields Parse(ReadOnlySpan<byte> body)
    {
        var r = default(SyscallRecordFields);
        ulong a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int args = 0;
        foreach (AuditField f in new AuditFieldEnumerator(body))
        {
            ReadOnlySpan<byte> v = f.RawValue;
            switch (f.Name)
            {
                case var n when n.SequenceEqual("arch"u8):
                    r.Arch = AuditValue.TryParseHex(v, out ulong arch) && arch <= uint.MaxValue ? (uint)arch : null;
                    break;
                case var n when n.SequenceEqual("syscall"u8):
                    r.Syscall = AuditValue.TryParseInt64(v, out long s) ? s : null;
                    break;
                case var n when n.SequenceEqual("success"u8):
                    r.Success = v.SequenceEqual("yes"u8) ? true : v.SequenceEqual("no"u8) ? false : null;
                    break;
                case var n when n.SequenceEqual("exit"u8):
                    r.Exit = AuditValue.TryParseInt64(v, out long e) ? e : null;
                    break;
                case var n when n.Length == 2 && n[0] == (byte)'a' && (uint)(n[1] - '0') <= 3:
                    if (AuditValue.TryParseHex(v, out ulong a))
                    {
                        switch (n[1] - '0')
                        {
                            case 0: a0 = a; break;
                            case 1: a1 = a; break;
                            case 2: a2 = a; break;
                            default: a3 = a; break;
                        }

                        args = Math.Max(args, n[1] - '0' + 1);
                    }

                    break;
                case var n when n.SequenceEqual("pid"u8):
                    r.Pid = AuditValue.TryParseInt64(v, out long pid) ? pid : null;
                    break;
                case var n when n.SequenceEqual("ppid"u8):
                    r.ParentPid = AuditValue.TryParseInt64(v, out long ppid) ? ppid : null;
                    break;
                case var n when n.SequenceEqual("uid"u8):
                    r.Uid = AuditValue.ParseId(v);
                    break;
                case var n when n.SequenceEqual("euid"u8):
                    r.Euid = AuditValue.ParseId(v);
                    break;
                case var n when n.SequenceEqual("auid"u8):
                    r.Auid = AuditValue.ParseId(v);
                    break;
                case var n when n.SequenceEqual("ses"u8):
                    r.Session = AuditValue.ParseId(v);
                    break;
                case var n when n.SequenceEqual("tty"u8):
                    r.Tty = v;
                    break;
                case var n when n.SequenceEqual("comm"u8):
                    r.Comm = v;
                    break;
                case var n when n.SequenceEqual("exe"u8):
                    r.Exe = v;
                    break;
                case var n when n.SequenceEqual("key"u8):
                    r.Key = v;
                    break;
                default:
                    break;
            }
        }

        if (args > 0)
        {
            r.Arguments = new[] { a0, a1, a2, a3 }[..args];
        }

        return r;
    }
}
