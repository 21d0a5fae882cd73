using KmodGuard.Core.Events;
using KmodGuard.Linux.Audit.Records;
using KmodGuard.Linux.Audit.Rules;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Turns complete audit events into <see cref="ModuleActivity"/>: one per init_module / finit_module / delete_module
/// syscall (load or unload by syscall number per architecture), and one per change to a module persistence file.
/// Exec events of module tools are remembered so a later module syscall of the same process gets its file and argv.
/// Events that are neither cost no allocation.
/// </summary>
internal sealed class AuditActivityMapper(TimeProvider time)
{
    private static readonly byte[] OurKey = System.Text.Encoding.ASCII.GetBytes(KmodGuardRuleSet.Key);

    private readonly ExecCorrelator _execs = new();

    /// <summary>KERN_MODULE records in events without a SYSCALL record (load or unload cannot be told).</summary>
    public long UnattributedModuleRecords { get; private set; }

    public ModuleActivity? Map(AuditEvent e)
    {
        int syscall = e.IndexOf(AuditRecordType.Syscall);
        if (syscall < 0)
        {
            if (e.IndexOf(AuditRecordType.KernModule) >= 0)
            {
                UnattributedModuleRecords++;
            }

            return null;
        }

        if (!SyscallRecordFields.TryReadCall(e.RecordBody(syscall), out uint arch, out long number))
        {
            return null;
        }

        if (ModuleSyscalls.Classify(arch, number) is ModuleOperation operation)
        {
            return MapModuleCall(e, syscall, operation);
        }

        if (ModuleSyscalls.IsExec(arch, number) && e.IndexOf(AuditRecordType.Execve) >= 0)
        {
            RememberExec(e, syscall);
            return null;
        }

        return e.IndexOf(AuditRecordType.Path) >= 0 ? MapPersistenceChange(e, syscall) : null;
    }

    private ModuleActivity MapModuleCall(AuditEvent e, int syscallIndex, ModuleOperation operation)
    {
        SyscallRecordFields s = SyscallRecordFields.Parse(e.RecordBody(syscallIndex));
        string? exe = AuditValue.DecodeToString(s.Exe);
        ExecRecord? exec = s.Pid is long pid ? _execs.Find(pid, exe) : null;

        string? name = null;
        int kernModule = e.IndexOf(AuditRecordType.KernModule);
        if (kernModule >= 0 && e.TryGetField(kernModule, "name"u8, out ReadOnlySpan<byte> rawName))
        {
            // The 2025 kernel patch logs name="?" for loads that fail before the module is allocated.
            name = AuditValue.DecodeToString(rawName) is { } n && n != "?" ? n : null;
        }

        string? file = null;
        string? unresolved = null;
        string? fileReason = null;
        if (operation == ModuleOperation.Load)
        {
            if (exec is not null)
            {
                file = ModuleToolCommand.LoadedFile(exec.Arguments, exec.WorkingDirectory, out unresolved);
            }

            if (file is null && unresolved is null)
            {
                fileReason = ModuleSyscalls.IsFinitModule(s.Arch ?? 0, s.Syscall ?? -1)
                    ? $"finit_module from file descriptor {(s.Arguments is { Length: > 0 } a ? a[0] : 0)}; no exec record of the loading tool names the file"
                    : "init_module from a memory buffer; no exec record of the loading tool names the file";
            }
        }

        return new ModuleActivity
        {
            Id = e.Id,
            Platform = Platform.Linux,
            Operation = operation,
            Source = Source(e, s),
            EventTime = e.Timestamp.ToDateTimeOffset(),
            ReceiveTime = time.GetUtcNow(),
            Module = new ModuleFacts { Name = name, FilePath = file, FileUnresolvedReason = fileReason },
            Process = Process(e, syscallIndex, s, exe, exec),
            Unresolved = unresolved is null ? null : [unresolved],
        };
    }

    private ModuleActivity? MapPersistenceChange(AuditEvent e, int syscallIndex)
    {
        // Decide cheaply first: only events of KmodGuard's watches, or that create or delete a file, can qualify.
        bool ourWatch = SyscallRecordFields.TryReadKey(e.RecordBody(syscallIndex), out ReadOnlySpan<byte> rawKey) && HasOurKey(rawKey);
        if (!ourWatch && !CreatesOrDeletesAFile(e))
        {
            return null;
        }

        string? cwd = WorkingDirectory(e);
        string? changed = null;
        int bestRank = int.MaxValue;
        for (int i = e.IndexOf(AuditRecordType.Path); i >= 0; i = e.IndexOf(AuditRecordType.Path, i + 1))
        {
            PathFields(e.RecordBody(i), out ReadOnlySpan<byte> rawName, out ReadOnlySpan<byte> nameType);

            // The file itself is what changed; its directory (PARENT) only tells where. Someone else's rule counts
            // only for a created or deleted file (not, say, a read).
            int rank = nameType.SequenceEqual("CREATE"u8) ? 0 : nameType.SequenceEqual("DELETE"u8) ? 1 : nameType.SequenceEqual("PARENT"u8) ? -1 : 2;
            if (rank < 0 || rank >= bestRank || (rank == 2 && !ourWatch) || AuditValue.DecodeToString(rawName) is not { } name
                || ModuleToolCommand.Absolute(name, cwd) is not { } path || !ModulePersistencePaths.Contains(path))
            {
                continue;
            }

            changed = path;
            bestRank = rank;
        }

        if (changed is null)
        {
            return null;
        }

        SyscallRecordFields s = SyscallRecordFields.Parse(e.RecordBody(syscallIndex));
        return new ModuleActivity
        {
            Id = e.Id,
            Platform = Platform.Linux,
            Operation = ModuleOperation.PersistenceChange,
            Source = Source(e, s),
            EventTime = e.Timestamp.ToDateTimeOffset(),
            ReceiveTime = time.GetUtcNow(),
            ChangedPath = changed,
            Process = Process(e, syscallIndex, s, AuditValue.DecodeToString(s.Exe), exec: null),
        };
    }

    private void RememberExec(AuditEvent e, int syscallIndex)
    {
        SyscallRecordFields s = SyscallRecordFields.Parse(e.RecordBody(syscallIndex));
        if (s.Success == false || s.Pid is not long pid)
        {
            return;
        }

        // Decide from the executable and argv[0] before decoding the whole command line: beside auditd's exec rules
        // every exec on the host comes through here, and almost none is a module tool.
        string? exe = AuditValue.DecodeToString(s.Exe);
        if (!HasOurKey(s.Key) && !ModuleToolCommand.IsModuleTool(exe, ArgumentZero(e)))
        {
            return;
        }

        if (CommandLineArguments.FromExecve(e) is { } argv)
        {
            _execs.Record(pid, new ExecRecord(exe, argv, WorkingDirectory(e)));
        }
    }

    /// <summary>argv[0] alone when it is a plain field of the first EXECVE record; otherwise the whole command line.</summary>
    private static string[] ArgumentZero(AuditEvent e)
    {
        int execve = e.IndexOf(AuditRecordType.Execve);
        if (execve >= 0 && e.TryGetField(execve, "a0"u8, out ReadOnlySpan<byte> raw) && AuditValue.DecodeToString(raw) is { } a0)
        {
            return [a0];
        }

        return CommandLineArguments.FromExecve(e) ?? [];
    }

    private static LinuxAuditSource Source(AuditEvent e, in SyscallRecordFields s)
    {
        string? errno = s is { Success: false, Exit: < 0 } ? ErrnoNames.NameOf(-s.Exit.Value) : null;
        return new LinuxAuditSource
        {
            SyscallName = s.Arch is uint arch && s.Syscall is long n ? SyscallTable.For(arch)?.NameOf(n) : null,
            SyscallNumber = ToInt(s.Syscall),
            Arch = s.Arch is uint a ? AuditArch.NameOf(a) ?? $"0x{a:x}" : null,
            Success = s.Success,
            Exit = s.Exit,
            Errno = errno,
            Serial = e.Serial,
            Arguments = s.Arguments,
            Key = AuditValue.DecodeKey(s.Key),
        };
    }

    private static LoaderProcess Process(AuditEvent e, int syscallIndex, in SyscallRecordFields s, string? exe, ExecRecord? exec)
    {
        IReadOnlyList<string>? argv = exec?.Arguments;
        if (argv is null)
        {
            int proctitle = e.IndexOf(AuditRecordType.Proctitle);
            if (proctitle >= 0 && e.TryGetField(proctitle, "proctitle"u8, out ReadOnlySpan<byte> raw))
            {
                argv = CommandLineArguments.FromProctitle(raw);
            }
        }

        ReadOnlySpan<byte> enrichment = e.RecordEnrichment(syscallIndex);
        return new LoaderProcess
        {
            Pid = ToInt(s.Pid),
            ParentPid = ToInt(s.ParentPid),
            ExecutablePath = exe,
            Name = AuditValue.DecodeToString(s.Comm),
            Arguments = argv,
            CommandLine = argv is null ? null : string.Join(' ', argv),
            WorkingDirectory = WorkingDirectory(e) ?? exec?.WorkingDirectory,
            UserId = ToInt(s.Uid),
            UserName = EnrichedName(enrichment, "UID"u8),
            EffectiveUserId = ToInt(s.Euid),
            EffectiveUserName = EnrichedName(enrichment, "EUID"u8),
            AuditUserId = ToInt(s.Auid),
            AuditUserName = s.Auid is null ? null : EnrichedName(enrichment, "AUID"u8),
            SessionId = s.Session,
            Tty = AuditValue.PlainToString(s.Tty),
        };
    }

    /// <summary>Whether a raw key field holds KmodGuard's key among its 0x01-separated keys (without allocating).</summary>
    private static bool HasOurKey(ReadOnlySpan<byte> rawKey)
    {
        if (rawKey.IsEmpty || rawKey.Length > 1024)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[rawKey.Length];
        ReadOnlySpan<byte> keys = decoded[..AuditValue.Decode(rawKey, decoded)];
        foreach (Range r in keys.Split((byte)1))
        {
            if (keys[r].SequenceEqual(OurKey))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CreatesOrDeletesAFile(AuditEvent e)
    {
        for (int i = e.IndexOf(AuditRecordType.Path); i >= 0; i = e.IndexOf(AuditRecordType.Path, i + 1))
        {
            PathFields(e.RecordBody(i), out _, out ReadOnlySpan<byte> nameType);
            if (nameType.SequenceEqual("CREATE"u8) || nameType.SequenceEqual("DELETE"u8))
            {
                return true;
            }
        }

        return false;
    }

    private static void PathFields(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> rawName, out ReadOnlySpan<byte> nameType)
    {
        rawName = nameType = default;
        foreach (AuditField f in new AuditFieldEnumerator(body))
        {
            if (f.Name.SequenceEqual("name"u8))
            {
                rawName = f.RawValue;
            }
            else if (f.Name.SequenceEqual("nametype"u8))
            {
                nameType = f.RawValue;
            }
        }
    }

    private static string? WorkingDirectory(AuditEvent e)
    {
        int cwd = e.IndexOf(AuditRecordType.Cwd);
        return cwd >= 0 && e.TryGetField(cwd, "cwd"u8, out ReadOnlySpan<byte> raw) ? AuditValue.DecodeToString(raw) : null;
    }

    /// <summary>auditd's ENRICHED user names (<c>UID="root"</c>); "unset" means none.</summary>
    private static string? EnrichedName(ReadOnlySpan<byte> enrichment, ReadOnlySpan<byte> field) =>
        !enrichment.IsEmpty && AuditFieldEnumerator.TryFind(enrichment, field, out ReadOnlySpan<byte> raw)
            && AuditValue.DecodeToString(raw) is { } name && name != "unset"
            ? name
            : null;

    private static int? ToInt(long? value) => value is long v && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;
}
