namespace KmodGuard.Linux.Audit.Rules;

/// <summary>
/// realpath(3) for paths that may not exist yet: every symlink in the existing part is resolved (so /sbin/insmod on a
/// merged-/usr system becomes /usr/bin/kmod); the part that does not exist is appended as written.
/// </summary>
internal static class CanonicalPath
{
    private const int MaxSymlinks = 40;

    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("an absolute path is required", nameof(path));
        }

        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        string resolved = "/";
        int links = 0;
        bool exists = true;
        while (pending.TryPop(out string? part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            string next = Path.Join(resolved, part);
            string? target = exists ? new FileInfo(next).LinkTarget : null;
            if (target is not null && ++links <= MaxSymlinks)
            {
                foreach (string t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(t);
                }

                if (target.StartsWith('/'))
                {
                    resolved = "/";
                }

                continue;
            }

            exists = exists && Path.Exists(next);
            resolved = next;
        }

        return resolved;
    }
}
