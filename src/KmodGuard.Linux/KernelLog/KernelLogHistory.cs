using System.Text;

namespace KmodGuard.Linux.KernelLog;

/// <summary>
/// The module messages still in the kernel's ring buffer (what the kernel said about modules since boot, as far back
/// as the buffer reaches). On a real system it reads /dev/kmsg to its end; under a fake root, dev/kmsg is a text
/// capture of that device.
/// </summary>
internal static class KernelLogHistory
{
    /// <summary>A ring buffer holds far fewer; this only bounds a hostile capture.</summary>
    private const int MaxRecords = 1_000_000;

    public static IReadOnlyList<KernelModuleMessage> ModuleMessages(HostPaths paths, DateTimeOffset bootTime, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var messages = new List<KernelModuleMessage>();
        foreach (KmsgRecord record in Records(paths, errors))
        {
            if (KernelModuleMessageClassifier.Classify(record, bootTime) is { } m)
            {
                messages.Add(m);
            }
        }

        return messages;
    }

    private static List<KmsgRecord> Records(HostPaths paths, ICollection<string> errors)
    {
        if (paths.IsReal)
        {
            return FromDevice(paths.Kmsg, errors);
        }

        if (!File.Exists(paths.Kmsg))
        {
            return [];
        }

        var records = new List<KmsgRecord>();
        foreach ((KmsgRecord? record, string? error) in KmsgParser.ParseCapture(File.ReadAllText(paths.Kmsg, Encoding.UTF8)).Take(MaxRecords))
        {
            if (record is not null)
            {
                records.Add(record);
            }
            else
            {
                errors.Add($"{paths.Kmsg}: {error}");
            }
        }

        return records;
    }

    private static List<KmsgRecord> FromDevice(string path, ICollection<string> errors)
    {
        var records = new List<KmsgRecord>();
        KmsgDevice device;
        try
        {
            device = KmsgDevice.Open(path, fromStart: true);
        }
        catch (IOException e)
        {
            errors.Add(e.Message);
            return records;
        }

        using (device)
        {
            int malformed = 0;
            while (records.Count < MaxRecords)
            {
                ReadOnlySpan<byte> data = device.Read(out int errno);
                if (data.IsEmpty)
                {
                    if (errno != Errno.EAGAIN)
                    {
                        errors.Add($"{path}: reading stopped: {Errno.Name(errno)}");
                    }

                    break;
                }

                if (KmsgParser.TryParse(data, out KmsgRecord? record, out _))
                {
                    records.Add(record);
                }
                else
                {
                    malformed++;
                }
            }

            if (malformed > 0)
            {
                errors.Add($"{path}: {malformed} malformed records skipped");
            }
        }

        return records;
    }
}
