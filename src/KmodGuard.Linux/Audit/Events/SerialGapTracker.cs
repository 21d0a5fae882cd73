namespace KmodGuard.Linux.Audit.Events;

/// <summary>
/// Finds serials the kernel assigned but that never arrived. A jump forward opens a gap; a late serial that falls into
/// a gap closes that part of it; a gap still open at its deadline is reported as lost. Serials are u32 and roll over.
/// Jumps too large to be loss (a reboot, logs of another host) start a new numbering instead of reporting billions.
/// </summary>
internal sealed class SerialGapTracker(int maxOpenGaps = 1024)
{
    /// <summary>Backward jumps longer than this are a new numbering, not late records.</summary>
    private const uint MaxLateDistance = 1 << 16;

    /// <summary>Forward jumps longer than this are a new numbering (go-libaudit's sort range), not loss.</summary>
    private const uint MaxGapLength = 1 << 24;

    private readonly List<Gap> _gaps = new(64);
    private bool _started;
    private uint _highest;

    public int OpenGaps => _gaps.Count;

    public void Observe(uint serial, long deadline, IAssembledEventHandler handler)
    {
        if (!_started)
        {
            _started = true;
            _highest = serial;
            return;
        }

        uint forward = unchecked(serial - _highest);
        if (forward == 0)
        {
            return;
        }

        if (forward <= MaxGapLength)
        {
            if (forward > 1)
            {
                Open(unchecked(_highest + 1), unchecked(serial - 1), deadline, handler);
            }

            _highest = serial;
            return;
        }

        if (unchecked(_highest - serial) > MaxLateDistance)
        {
            Flush(handler);
            _highest = serial;
            return;
        }

        Close(serial);
    }

    /// <summary>Reports the gaps whose deadline has passed.</summary>
    public void Expire(long now, IAssembledEventHandler handler)
    {
        for (int i = 0; i < _gaps.Count;)
        {
            if (_gaps[i].Deadline <= now)
            {
                Report(i, handler);
            }
            else
            {
                i++;
            }
        }
    }

    public void Flush(IAssembledEventHandler handler)
    {
        while (_gaps.Count > 0)
        {
            Report(0, handler);
        }
    }

    private void Open(uint first, uint last, long deadline, IAssembledEventHandler handler)
    {
        if (_gaps.Count >= maxOpenGaps)
        {
            Report(0, handler);
        }

        _gaps.Add(new Gap(first, last, deadline));
    }

    private void Close(uint serial)
    {
        for (int i = 0; i < _gaps.Count; i++)
        {
            Gap g = _gaps[i];
            if (unchecked(serial - g.First) > unchecked(g.Last - g.First))
            {
                continue;
            }

            if (g.First == g.Last)
            {
                _gaps.RemoveAt(i);
            }
            else if (serial == g.First)
            {
                _gaps[i] = g with { First = unchecked(serial + 1) };
            }
            else if (serial == g.Last)
            {
                _gaps[i] = g with { Last = unchecked(serial - 1) };
            }
            else
            {
                _gaps[i] = g with { Last = unchecked(serial - 1) };
                _gaps.Insert(i + 1, g with { First = unchecked(serial + 1) });
            }

            return;
        }
    }

    private void Report(int index, IAssembledEventHandler handler)
    {
        Gap g = _gaps[index];
        _gaps.RemoveAt(index);
        handler.OnSerialsLost(g.First, g.Last, (long)unchecked(g.Last - g.First) + 1);
    }

    private readonly record struct Gap(uint First, uint Last, long Deadline);
}
