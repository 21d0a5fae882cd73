using System.Buffers;
using KmodGuard.Linux.Audit.Records;

namespace KmodGuard.Linux.Audit.Events;

/// <summary>Rebuilds argv from a PROCTITLE record (NUL-separated, at most 128 bytes) or from EXECVE records.</summary>
internal static class CommandLineArguments
{
    /// <summary>Bound on argc taken from the input, so a hostile record cannot make us allocate a huge array.</summary>
    private const int MaxArguments = 4096;

    public static string[]? FromProctitle(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            ReadOnlySpan<byte> bytes = buffer.AsSpan(0, AuditValue.Decode(raw, buffer)).TrimEnd((byte)0);
            var args = new List<string>();
            foreach (Range r in bytes.Split((byte)0))
            {
                args.Add(AuditValue.ToPrintableString(bytes[r]));
            }

            return [.. args];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// argv from the EXECVE records of an event: <c>argc=N a0=.. a1=..</c>, where a long argument is split into
    /// <c>aN_len=L aN[0]=.. aN[1]=..</c>, possibly over several records; each piece is quoted or hex on its own.
    /// </summary>
    public static string[]? FromExecve(AuditEvent e)
    {
        List<byte>?[]? args = null;
        for (int i = e.IndexOf(AuditRecordType.Execve); i >= 0; i = e.IndexOf(AuditRecordType.Execve, i + 1))
        {
            foreach (AuditField f in new AuditFieldEnumerator(e.RecordBody(i)))
            {
                if (f.Name.SequenceEqual("argc"u8))
                {
                    if (args is null && AuditValue.TryParseInt32(f.RawValue, out int argc) && argc is >= 0 and <= MaxArguments)
                    {
                        args = new List<byte>?[argc];
                    }

                    continue;
                }

                if (args is null || !TryParseArgumentName(f.Name, out int index) || index >= args.Length)
                {
                    continue;
                }

                byte[] decoded = ArrayPool<byte>.Shared.Rent(f.RawValue.Length);
                int length = AuditValue.Decode(f.RawValue, decoded);
                (args[index] ??= new List<byte>(length)).AddRange(decoded.AsSpan(0, length));
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }

        return args?.Select(a => a is null ? string.Empty : AuditValue.ToPrintableString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(a))).ToArray();
    }

    /// <summary>"a3" or "a3[0]" → 3; "a3_len" and others → false.</summary>
    private static bool TryParseArgumentName(ReadOnlySpan<byte> name, out int index)
    {
        index = -1;
        if (name.Length < 2 || name[0] != (byte)'a')
        {
            return false;
        }

        int end = name.IndexOf((byte)'[');
        ReadOnlySpan<byte> digits = end < 0 ? name[1..] : name[1..end];
        return (end < 0 || name[^1] == (byte)']') && AuditValue.TryParseInt32(digits, out index) && index >= 0;
    }
}
