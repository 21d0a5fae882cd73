using System.Globalization;
using System.Text;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// Writes a rule exactly as <c>auditctl -l</c> (audit 3.0.9, without -i) lists it: watches as <c>-w PATH -p PERMS -k KEY</c>,
/// other rules as <c>-a ACTION,LIST</c>, arch fields first, then <c>-S</c> names in syscall-number order, then the
/// remaining fields in rule order, uids and most numbers as signed decimals, a0..a3 as hex.
/// </summary>
internal static class AuditRuleText
{
    public static string Format(AuditRule rule, uint defaultArch)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var sb = new StringBuilder(96);
        bool watch = IsWatch(rule);
        uint? arch = null;
        if (!watch)
        {
            sb.Append("-a ").Append(ActionName(rule.Action)).Append(',').Append(ListName(rule.List));
            foreach (AuditRuleField f in rule.Fields.Where(f => f.Id == AuditFieldIds.Arch))
            {
                arch = f.Value;
                sb.Append(" -F arch").Append(AuditOperators.SymbolOf(f.Operator));
                if (AuditArch.IsKnownToAuditctl(f.Value))
                {
                    sb.Append((f.Value & AuditArch.Is64BitFlag) != 0 ? "b64" : "b32");
                }
                else
                {
                    sb.Append(CultureInfo.InvariantCulture, $"0x{f.Value:X}");
                }
            }

            AppendSyscalls(sb, rule, arch ?? defaultArch);
        }

        foreach (AuditRuleField f in rule.Fields)
        {
            AppendField(sb, f, watch);
        }

        return sb.ToString();
    }

    /// <summary>auditctl's test: only watch/dir/perm/key fields, a perm field, and every syscall (or a list without syscalls).</summary>
    private static bool IsWatch(AuditRule rule) =>
        rule.Fields.Any(f => f.Id == AuditFieldIds.Perm)
        && rule.Fields.All(f => f.Id is AuditFieldIds.Perm or AuditFieldIds.FilterKey or AuditFieldIds.Dir or AuditFieldIds.Watch)
        && (!TakesSyscalls(rule.List) || rule.AllSyscalls);

    private static bool TakesSyscalls(AuditFilterList list) =>
        list is not (AuditFilterList.User or AuditFilterList.Task or AuditFilterList.Exclude or AuditFilterList.Filesystem);

    private static void AppendSyscalls(StringBuilder sb, AuditRule rule, uint arch)
    {
        if (!TakesSyscalls(rule.List))
        {
            return;
        }

        if (rule.AllSyscalls)
        {
            sb.Append(" -S all");
            return;
        }

        SyscallTable? table = AuditArch.IsKnownToAuditctl(arch) ? SyscallTable.For(arch) : null;
        bool first = true;
        for (int n = 0; n < AuditRule.MaskWords * 32; n++)
        {
            if ((rule.Mask[n / 32] & (1u << (n % 32))) == 0)
            {
                continue;
            }

            sb.Append(first ? " -S " : ",");
            first = false;
            if (table?.NameOf(n) is { } name)
            {
                sb.Append(name);
            }
            else
            {
                sb.Append(n);
            }
        }
    }

    private static void AppendField(StringBuilder sb, AuditRuleField f, bool watch)
    {
        string op = AuditOperators.SymbolOf(f.Operator);
        string? name = AuditFieldIds.NameOf(f.Id);
        int signed = unchecked((int)f.Value);
        switch (f.Id)
        {
            case AuditFieldIds.Arch:
                return;
            case var _ when name is null:
                sb.Append(CultureInfo.InvariantCulture, $" f{f.Id}{op}{signed}");
                return;
            case AuditFieldIds.MessageType:
                sb.Append(" -F ").Append(name).Append(op).Append(AuditRecordTypeNames.NameOf(signed) ?? signed.ToString(CultureInfo.InvariantCulture));
                return;
            case AuditFieldIds.Watch or AuditFieldIds.Dir when watch:
                sb.Append("-w ").Append(f.Text);
                return;
            case AuditFieldIds.FilterKey:
                foreach (string key in (f.Text ?? string.Empty).Split('\x01', StringSplitOptions.RemoveEmptyEntries))
                {
                    sb.Append(watch ? " -k " : " -F key=").Append(key);
                }

                return;
            case var _ when f.IsString:
                sb.Append(" -F ").Append(name).Append(op).Append(f.Text);
                return;
            case AuditFieldIds.Perm:
                sb.Append(watch ? " -p " : " -F perm=").Append(PermText(f.Value));
                return;
            case AuditFieldIds.Inode:
                sb.Append(CultureInfo.InvariantCulture, $" -F {name}{op}{f.Value}");
                return;
            case AuditFieldIds.FieldCompare:
                if (FieldComparisons.NamesOf(f.Value) is var (left, right))
                {
                    sb.Append(" -C ").Append(left).Append(op).Append(right);
                }

                return;
            case var id when AuditFieldIds.IsArgument(id):
                sb.Append(CultureInfo.InvariantCulture, $" -F {name}{op}0x{f.Value:X}");
                return;
            case AuditFieldIds.Exit:
                string? errno = signed < 0 ? ErrnoNames.NameOf(-(long)signed) : null;
                sb.Append(" -F ").Append(name).Append(op).Append(errno is null ? signed.ToString(CultureInfo.InvariantCulture) : "-" + errno);
                return;
            case AuditFieldIds.FsType:
                sb.Append(" -F ").Append(name).Append(op).Append(FsTypes.NameOf(f.Value) ?? signed.ToString(CultureInfo.InvariantCulture));
                return;
            default:
                sb.Append(CultureInfo.InvariantCulture, $" -F {name}{op}{signed}");
                return;
        }
    }

    public static string PermText(uint perm) =>
        string.Concat((perm & 4) != 0 ? "r" : "", (perm & 2) != 0 ? "w" : "", (perm & 1) != 0 ? "x" : "", (perm & 8) != 0 ? "a" : "");

    public static string ActionName(AuditRuleAction action) => action switch
    {
        AuditRuleAction.Never => "never",
        AuditRuleAction.Possible => "possible",
        _ => "always",
    };

    public static string ListName(AuditFilterList list) => list switch
    {
        AuditFilterList.User => "user",
        AuditFilterList.Task => "task",
        AuditFilterList.Exit => "exit",
        AuditFilterList.Exclude => "exclude",
        _ => "filesystem",
    };
}
