using System.Buffers.Binary;
using System.Text;

namespace KmodGuard.Linux.Tests;

/// <summary>
/// Test-only: the bytes of "-a always,exit -F arch=ARCH -S N... -F key=KEY", laid out as struct audit_rule_data,
/// for session tests that must not depend on the rule codec under test elsewhere.
/// </summary>
internal static class TestRuleBytes
{
    public const uint ArchX86_64 = 0xC000003E;
    public const uint ArchI386 = 0x40000003;

    public static byte[] SyscallRule(uint arch, IEnumerable<int> syscalls, string key)
    {
        byte[] keyBytes = Encoding.UTF8.GetBytes(key);
        int length = (1040 + keyBytes.Length + 3) & ~3;
        byte[] rule = new byte[length];
        Span<byte> s = rule;
        BinaryPrimitives.WriteUInt32LittleEndian(s, 4); // exit list
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 2); // always
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 2); // field count
        foreach (int n in syscalls)
        {
            int word = 12 + ((n / 32) * 4);
            BinaryPrimitives.WriteUInt32LittleEndian(s[word..], BinaryPrimitives.ReadUInt32LittleEndian(s[word..]) | (1u << (n % 32)));
        }

        const int Fields = 12 + 256, Values = Fields + 256, Flags = Values + 256;
        BinaryPrimitives.WriteUInt32LittleEndian(s[Fields..], 11); // AUDIT_ARCH
        BinaryPrimitives.WriteUInt32LittleEndian(s[(Fields + 4)..], 210); // AUDIT_FILTERKEY
        BinaryPrimitives.WriteUInt32LittleEndian(s[Values..], arch);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(Values + 4)..], (uint)keyBytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s[Flags..], 0x40000000);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(Flags + 4)..], 0x40000000);
        BinaryPrimitives.WriteUInt32LittleEndian(s[1036..], (uint)keyBytes.Length);
        keyBytes.CopyTo(s[1040..]);
        return rule;
    }

    public static byte[][] ModuleRules(string key) =>
    [
        SyscallRule(ArchX86_64, [175, 176, 313], key),
        SyscallRule(ArchI386, [128, 129, 350], key),
    ];
}
