using System.Collections.Frozen;

namespace KmodGuard.Linux.Audit.Records;

/// <summary>
/// Syscall names and numbers of one architecture, generated from Debian's libaudit tables (Tables/README.md).
/// Used both ways: rules name syscalls, records carry numbers.
/// </summary>
internal sealed partial class SyscallTable
{
    private static readonly SyscallTable X8664 = new("x86_64", X8664Names());
    private static readonly SyscallTable I386 = new("i386", I386Names());
    private static readonly SyscallTable Aarch64 = new("aarch64", Aarch64Names());
    private static readonly SyscallTable Arm = new("arm", ArmNames());

    private readonly string?[] _names;
    private readonly FrozenDictionary<string, int> _numbers;

    private SyscallTable(string arch, string?[] names)
    {
        Arch = arch;
        _names = names;
        _numbers = names.Select((name, number) => (name, number)).Where(p => p.name is not null)
            .ToFrozenDictionary(p => p.name!, p => p.number, StringComparer.Ordinal);
    }

    public string Arch { get; }

    /// <summary>The table for an audit architecture, or null when KmodGuard has none for it.</summary>
    public static SyscallTable? For(uint arch) => arch switch
    {
        AuditArch.X8664 => X8664,
        AuditArch.I386 => I386,
        AuditArch.Aarch64 => Aarch64,
        AuditArch.Arm or AuditArch.ArmBigEndian => Arm,
        _ => null,
    };

    public string? NameOf(long number) => number >= 0 && number < _names.Length ? _names[number] : null;

    public bool TryGetNumber(string name, out int number) => _numbers.TryGetValue(name, out number);
}
