namespace KmodGuard.Agent.Runtime;

/// <summary>
/// Time from the kernel's event timestamp (millisecond precision in audit) to the decision being recorded,
/// kept in a fixed histogram of 0.1 ms buckets up to 1 s so percentiles cost no allocation.
/// </summary>
internal sealed class DecisionLatency
{
    private const int BucketMicroseconds = 100;
    private readonly long[] _buckets = new long[10_001];
    private readonly Lock _gate = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(DateTimeOffset? eventTime, DateTimeOffset decidedAt)
    {
        if (eventTime is not DateTimeOffset t)
        {
            return;
        }

        double micros = Math.Max(0, (decidedAt - t).TotalMicroseconds);
        int bucket = (int)Math.Min(_buckets.Length - 1, micros / BucketMicroseconds);
        lock (_gate)
        {
            _buckets[bucket]++;
            _count++;
        }
    }

    /// <summary>The latency below which <paramref name="fraction"/> of decisions fell (upper bucket edge).</summary>
    public TimeSpan Percentile(double fraction)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return TimeSpan.Zero;
            }

            long target = (long)Math.Ceiling(_count * fraction);
            long seen = 0;
            for (int i = 0; i < _buckets.Length; i++)
            {
                seen += _buckets[i];
                if (seen >= target)
                {
                    return TimeSpan.FromMicroseconds((i + 1) * BucketMicroseconds);
                }
            }

            return TimeSpan.FromSeconds(1);
        }
    }
}
