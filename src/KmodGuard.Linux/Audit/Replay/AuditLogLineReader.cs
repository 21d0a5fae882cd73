namespace KmodGuard.Linux.Audit.Replay;

/// <summary>
/// Reads newline-separated records from a stream into one reused buffer and hands out each line as a span (valid until
/// the next call). A line longer than the buffer is cut at the buffer size and the rest of it skipped, so the parser
/// sees it and reports it as too long; nothing else is lost.
/// </summary>
internal sealed class AuditLogLineReader(Stream stream, int bufferSize = 1024 * 1024)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skipping;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int lineStart = _start;
                _start += newline + 1;
                if (_skipping)
                {
                    _skipping = false;
                    continue;
                }

                LineNumber++;
                line = _buffer.AsSpan(lineStart, newline);
                return true;
            }

            if (_eof)
            {
                bool rest = _end > _start && !_skipping;
                line = rest ? _buffer.AsSpan(_start, _end - _start) : default;
                _start = _end;
                _skipping = false;
                if (rest)
                {
                    LineNumber++;
                }

                return rest;
            }

            if (_start == 0 && _end == _buffer.Length)
            {
                // A line that fills the whole buffer: return what fits once, drop the rest of it.
                bool first = !_skipping;
                _start = _end = 0;
                _skipping = true;
                if (first)
                {
                    LineNumber++;
                    line = _buffer;
                    return true;
                }

                continue;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _eof = read == 0;
        _end += read;
    }
}
