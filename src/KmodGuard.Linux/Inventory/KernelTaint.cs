using System.Globalization;

namespace KmodGuard.Linux.Inventory;

/// <summary>The decoded value of /proc/sys/kernel/tainted. Taint is sticky: it stays after the module that caused it is unloaded.</summary>
internal sealed record KernelTaint(ulong Value, IReadOnlyList<TaintFlag> Flags)
{
    private static readonly TaintFlag[] Known =
    [
        new(0, 'P', "proprietary module was loaded"),
        new(1, 'F', "module was force loaded"),
        new(2, 'S', "kernel running on an out of specification system"),
        new(3, 'R', "module was force unloaded"),
        new(4, 'M', "processor reported a Machine Check Exception"),
        new(5, 'B', "bad page referenced or some unexpected page flags"),
        new(6, 'U', "taint requested by userspace application"),
        new(7, 'D', "kernel died recently, i.e. there was an OOPS or BUG"),
        new(8, 'A', "an ACPI table was overridden by user"),
        new(9, 'W', "kernel issued warning"),
        new(10, 'C', "staging driver was loaded"),
        new(11, 'I', "workaround for bug in platform firmware applied"),
        new(12, 'O', "externally-built (\"out-of-tree\") module was loaded"),
        new(13, 'E', "unsigned module was loaded"),
        new(14, 'L', "soft lockup occurred"),
        new(15, 'K', "kernel has been live patched"),
        new(16, 'X', "auxiliary taint, defined for and used by distros"),
        new(17, 'T', "kernel was built with the struct randomization plugin"),
        new(18, 'N', "an in-kernel test has been run"),
    ];

    public bool IsTainted => Value != 0;

    /// <summary>The letters of the set bits, e.g. "OE" ('?' for a bit this version does not know).</summary>
    public string Letters => string.Concat(Flags.Select(f => f.Letter));

    public static KernelTaint Decode(ulong value)
    {
        var flags = new List<TaintFlag>();
        for (int bit = 0; bit < 64; bit++)
        {
            if ((value & (1UL << bit)) != 0)
            {
                flags.Add(bit < Known.Length ? Known[bit] : new TaintFlag(bit, '?', $"taint bit {bit} (not known to this version)"));
            }
        }

        return new KernelTaint(value, flags);
    }

    /// <summary>Parses the sysctl's decimal text; null for anything else.</summary>
    public static KernelTaint? Parse(string text) =>
        ulong.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? Decode(v) : null;

    /// <summary>The meanings of a module's taint letters as /sys/module/&lt;name&gt;/taint or /proc/modules print them.</summary>
    public static IReadOnlyList<TaintFlag> DescribeLetters(string letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        return letters.Select(c => Array.Find(Known, f => f.Letter == c) ?? new TaintFlag(-1, c, "unknown taint letter")).ToArray();
    }

    public override string ToString() =>
        IsTainted ? $"{Letters} ({Value.ToString(CultureInfo.InvariantCulture)})" : "not tainted (0)";
}
