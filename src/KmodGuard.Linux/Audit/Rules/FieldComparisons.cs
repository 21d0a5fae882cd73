namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// Inter-field comparisons (<c>-C auid!=obj_uid</c>): the pair of fields names one AUDIT_COMPARE_* value; auditctl
/// accepts the two names in either order and lists them in the kernel's order.
/// </summary>
internal static class FieldComparisons
{
    private static readonly (uint Value, string Left, string Right)[] Table =
    [
        (1, "uid", "obj_uid"), (2, "gid", "obj_gid"), (3, "euid", "obj_uid"), (4, "egid", "obj_gid"),
        (5, "auid", "obj_uid"), (6, "suid", "obj_uid"), (7, "sgid", "obj_gid"), (8, "fsuid", "obj_uid"),
        (9, "fsgid", "obj_gid"), (10, "uid", "auid"), (11, "uid", "euid"), (12, "uid", "fsuid"), (13, "uid", "suid"),
        (14, "auid", "fsuid"), (15, "auid", "suid"), (16, "auid", "euid"), (17, "euid", "suid"),
        (18, "euid", "fsuid"), (19, "suid", "fsuid"), (20, "gid", "egid"), (21, "gid", "fsgid"), (22, "gid", "sgid"),
        (23, "egid", "fsgid"), (24, "egid", "sgid"), (25, "sgid", "fsgid"),
    ];

    public static uint? ValueOf(string first, string second)
    {
        first = first == "loginuid" ? "auid" : first;
        second = second == "loginuid" ? "auid" : second;
        foreach ((uint value, string left, string right) in Table)
        {
            if ((left == first && right == second) || (left == second && right == first))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>"auid", "obj_uid" for 5; null for values auditctl does not know.</summary>
    public static (string Left, string Right)? NamesOf(uint value)
    {
        foreach ((uint v, string left, string right) in Table)
        {
            if (v == value)
            {
                return (left, right);
            }
        }

        return null;
    }
}
