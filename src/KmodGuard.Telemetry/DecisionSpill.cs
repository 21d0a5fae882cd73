using System.Globalization;
using System.Text;
using KmodGuard.Core.Telemetry;

namespace KmodGuard.Telemetry;

/// <summary>
/// Decision records that did not fit in the in-memory queue, kept on disk as console JSON lines (one schema) in
/// files of at most <see cref="FileBytes"/>, until the queue has room again or the agent starts again. Bounded:
/// an append that would pass the limit fails and the caller counts the record as dropped. Files are 0600 in a
/// 0700 directory: records name users and paths.
/// </summary>
internal sealed class DecisionSpill : IDisposable
{
    internal const int FileBytes = 4 * 1024 * 1024;
    private const string Extension = ".jsonl";

    private readonly string _directory;
    private readonly long _limitBytes;
    private readonly Lock _gate = new();
    private FileStream? _current;
    private string? _currentPath;
    private long _totalBytes;
    private int _sequence;
    private bool _disposed;

    private DecisionSpill(string directory, long limitBytes, long existingBytes)
    {
        _directory = directory;
        _limitBytes = limitBytes;
        _totalBytes = existingBytes;
    }

    /// <summary>Opens (creating if needed) the spill directory; what an earlier run left there is replayed first.</summary>
    public static DecisionSpill Open(string directory, long limitBytes)
    {
        if (PrivateDirectory.TryCreate(directory) is { } error)
        {
            throw new IOException($"cannot use the spill directory {directory}: {error}");
        }

        long existing = Directory.EnumerateFiles(directory, "*" + Extension).Sum(f => new FileInfo(f).Length);
        return new DecisionSpill(directory, limitBytes, existing);
    }

    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _totalBytes;
            }
        }
    }

    /// <summary>Appends one record; false when the spill is full, closed or unwritable.</summary>
    public bool TryAppend(PendingDecision record)
    {
        byte[] line = Encoding.UTF8.GetBytes(DecisionRecordWriter.ToJson(record.Activity, record.Decision) + "\n");
        lock (_gate)
        {
            if (_disposed || _totalBytes + line.Length > _limitBytes)
            {
                return false;
            }

            try
            {
                if (_current is null)
                {
                    _currentPath = Path.Combine(_directory, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfffffff}-{_sequence++:D6}{Extension}");
                    _current = new FileStream(_currentPath, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        Share = FileShare.Read,
                        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    });
                }

                _current.Write(line);
                _totalBytes += line.Length;
                if (_current.Length >= FileBytes)
                {
                    SealCurrent();
                }

                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Hands every line of the oldest spill file to <paramref name="replay"/>, then to <paramref name="commit"/>;
    /// the file is deleted only when commit says the lines were delivered (so a stop in between sends them again
    /// rather than never). Returns false when the spill is empty.
    /// </summary>
    public bool TryReplayOldest(Action<string> replay, Func<bool> commit)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(commit);
        string? path;
        lock (_gate)
        {
            path = Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal).FirstOrDefault(p => p != _currentPath);
            if (path is null && _current is { Length: > 0 })
            {
                path = _currentPath;
                SealCurrent();
            }
        }

        if (path is null)
        {
            return false;
        }

        try
        {
            long length = new FileInfo(path).Length;
            foreach (string line in File.ReadLines(path, Encoding.UTF8))
            {
                if (line.Length > 0)
                {
                    replay(line);
                }
            }

            if (commit())
            {
                File.Delete(path);
                lock (_gate)
                {
                    _totalBytes -= length;
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing is lost: the file stays and the next attempt (a second later, or the next start) tries again.
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            SealCurrent();
        }
    }

    private void SealCurrent()
    {
        _current?.Dispose();
        _current = null;
        _currentPath = null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_directory} ({TotalBytes} of {_limitBytes} bytes)");
}
