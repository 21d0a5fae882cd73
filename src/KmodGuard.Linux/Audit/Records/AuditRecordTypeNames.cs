using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace KmodGuard.Linux.Audit.Records;

/// <summary>Record type names as auditd prints them (<c>type=SYSCALL</c>), from the linux-audit message dictionary.</summary>
internal static partial class AuditRecordTypeNames
{
    private const int MaxNameLength = 64;
    private static readonly (int Type, string Name)[] Table = CreateTable();
    private static readonly FrozenDictionary<int, string> Names = Table.ToFrozenDictionary(t => t.Type, t => t.Name);
    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Types =
        Table.ToFrozenDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static string? NameOf(int type) => Names.GetValueOrDefault(type);

    /// <summary>The name, or auditd's <c>UNKNOWN[1338]</c> form for types without one.</summary>
    public static string DisplayName(int type) => NameOf(type) ?? string.Create(CultureInfo.InvariantCulture, $"UNKNOWN[{type}]");

    /// <summary>Looks up a type by its name (ASCII bytes), accepting <c>UNKNOWN[n]</c>.</summary>
    [SkipLocalsInit]
    public static bool TryGetType(ReadOnlySpan<byte> name, out int type)
    {
        // The records of module and exec events first: every log line comes through here.
        type = name.Length switch
        {
            7 when name.SequenceEqual("SYSCALL"u8) => AuditRecordType.Syscall,
            9 when name.SequenceEqual("PROCTITLE"u8) => AuditRecordType.Proctitle,
            4 when name.SequenceEqual("PATH"u8) => AuditRecordType.Path,
            3 when name.SequenceEqual("CWD"u8) => AuditRecordType.Cwd,
            6 when name.SequenceEqual("EXECVE"u8) => AuditRecordType.Execve,
            11 when name.SequenceEqual("KERN_MODULE"u8) => AuditRecordType.KernModule,
            _ => 0,
        };
        if (type != 0)
        {
            return true;
        }

        if (name.StartsWith("UNKNOWN["u8) && name.EndsWith("]"u8))
        {
            return AuditValue.TryParseInt32(name[8..^1], out type) && type >= 0;
        }

        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxNameLength];
        int length = Encoding.Latin1.GetChars(name, chars);
        return Types.TryGetValue(chars[..length], out type);
    }
}
