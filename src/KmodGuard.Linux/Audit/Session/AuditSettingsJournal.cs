using System.Globalization;

namespace KmodGuard.Linux.Audit.Session;

/// <summary>
/// Remembers the audit settings found at start in a small file, removed on clean stop. If the file is still there
/// at the next start, the previous agent died without restoring them, and the new one does it.
/// </summary>
internal sealed class AuditSettingsJournal(string? path)
{
    public Netlink.AuditStatus? TryReadPrevious()
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            var values = File.ReadAllLines(path)
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => uint.Parse(p[1].Trim(), CultureInfo.InvariantCulture));
            return new Netlink.AuditStatus
            {
                Enabled = values.GetValueOrDefault("enabled"),
                BacklogLimit = values.GetValueOrDefault("backlog_limit", 64u),
                BacklogWaitTime = values.GetValueOrDefault("backlog_wait_time", 15000u),
                FeatureBitmap = values.GetValueOrDefault("feature_bitmap"),
            };
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Record(Netlink.AuditStatus status)
    {
        if (path is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture,
            $"enabled={status.Enabled}\nbacklog_limit={status.BacklogLimit}\nbacklog_wait_time={status.BacklogWaitTime}\nfeature_bitmap={status.FeatureBitmap}\n"));
        File.Move(temp, path, overwrite: true);
    }

    public void Clear()
    {
        if (path is not null && File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
