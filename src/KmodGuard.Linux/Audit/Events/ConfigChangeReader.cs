using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>Reads the CONFIG_CHANGE records of an event, with the changing process from its SYSCALL record.</summary>
internal static class ConfigChangeReader
{
    public static IReadOnlyList<AuditConfigChange> Read(AuditEvent e)
    {
        var changes = new List<AuditConfigChange>();
        int syscall = e.IndexOf(AuditRecordType.Syscall);
        SyscallRecordFields s = syscall >= 0 ? SyscallRecordFields.Parse(e.RecordBody(syscall)) : default;
        for (int i = e.IndexOf(AuditRecordType.ConfigChange); i >= 0; i = e.IndexOf(AuditRecordType.ConfigChange, i + 1))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            long? auid = null, ses = null, pid = null;
            string? comm = null, exe = null;
            foreach (AuditField f in new AuditFieldEnumerator(e.RecordBody(i)))
            {
                string name = AuditValue.ToPrintableString(f.Name);
                string? value = name == "key" ? AuditValue.DecodeKey(f.RawValue) : AuditValue.DecodeToString(f.RawValue);
                fields.TryAdd(name, value ?? string.Empty);
                switch (name)
                {
                    case "auid": auid = AuditValue.ParseId(f.RawValue); break;
                    case "ses": ses = AuditValue.ParseId(f.RawValue); break;
                    case "pid": pid = AuditValue.TryParseInt64(f.RawValue, out long p) ? p : null; break;
                    case "comm": comm = value; break;
                    case "exe": exe = value; break;
                    default: break;
                }
            }

            changes.Add(new AuditConfigChange
            {
                Id = e.Id,
                EventTime = e.Timestamp.ToDateTimeOffset(),
                Serial = e.Serial,
                Operation = fields.GetValueOrDefault("op"),
                Key = fields.TryGetValue("key", out string? key) && key.Length > 0 ? key : null,
                List = fields.TryGetValue("list", out string? list) && int.TryParse(list, out int l) ? l : null,
                Success = fields.GetValueOrDefault("res") switch
                {
                    "1" or "success" => true,
                    "0" or "failed" => false,
                    _ => null,
                },
                AuditUserId = auid ?? (syscall >= 0 ? s.Auid : null),
                SessionId = ses ?? (syscall >= 0 ? s.Session : null),
                Pid = (int?)(pid ?? s.Pid),
                Comm = comm ?? AuditValue.DecodeToString(s.Comm),
                Executable = exe ?? AuditValue.DecodeToString(s.Exe),
                Fields = fields,
            });
        }

        return changes;
    }
}
