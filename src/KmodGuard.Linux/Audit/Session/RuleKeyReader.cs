using System.Buffers.Binary;
using System.Text;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>Reads the filter keys (-k) of a kernel-listed audit_rule_data, to find our own rules.</summary>
internal static class RuleKeyReader
{
    private const int FieldsOffset = 12 + (64 * 4);
    private const int ValuesOffset = FieldsOffset + (64 * 4);
    private const int BufferLengthOffset = ValuesOffset + (64 * 4 * 2);
    private const int BufferOffset = BufferLengthOffset + 4;
    private const uint FilterKey = 210;

    /// <summary>Field ids whose value is a string length in the rule's buffer (kernel audit_data_to_entry).</summary>
    private static bool IsStringField(uint field) => field is (>= 13 and <= 17) or (>= 19 and <= 23) or 105 or 107 or 112 or FilterKey;

    public static bool HasKey(ReadOnlySpan<byte> rule, string key)
    {
        if (rule.Length < BufferOffset)
        {
            return false;
        }

        uint count = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(rule[8..]), 64);
        int offset = BufferOffset;
        for (int i = 0; i < count; i++)
        {
            uint field = BinaryPrimitives.ReadUInt32LittleEndian(rule[(FieldsOffset + (i * 4))..]);
            if (!IsStringField(field))
            {
                continue;
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(rule[(ValuesOffset + (i * 4))..]);
            if (offset + length > rule.Length)
            {
                return false;
            }

            if (field == FilterKey)
            {
                foreach (string k in Encoding.UTF8.GetString(rule.Slice(offset, (int)length)).Split('\x01'))
                {
                    if (k == key)
                    {
                        return true;
                    }
                }
            }

            offset += (int)length;
        }

        return false;
    }
}
