using System.Numerics;

namespace Advisor.Core.Aggregation;

/// <summary>
/// Log-linear buckets for syscall durations: exact below 16 ns, then four buckets per power of two (about
/// ±12% resolution) up to ~18 minutes. Percentiles come from these, so memory per group stays fixed.
/// </summary>
public static class DurationHistogram
{
    private const int LinearLimit = 16;
    private const int SubBucketBits = 2;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxExponent = 40;

    /// <summary>Buckets per histogram.</summary>
    public const int BucketCount = LinearLimit + ((MaxExponent - 3) * SubBuckets);

    public static int BucketOf(long durationNs)
    {
        if (durationNs < LinearLimit)
        {
            return durationNs <= 0 ? 0 : (int)durationNs;
        }

        var exponent = BitOperations.Log2((ulong)durationNs);
        if (exponent > MaxExponent)
        {
            return BucketCount - 1;
        }

        var sub = (int)(durationNs >> (exponent - SubBucketBits)) & (SubBuckets - 1);
        return LinearLimit + ((exponent - 4) * SubBuckets) + sub;
    }

    /// <summary>The lower bound, in ns, of a bucket.</summary>
    public static long LowerBound(int bucket)
    {
        if (bucket < LinearLimit)
        {
            return bucket;
        }

        var exponent = ((bucket - LinearLimit) / SubBuckets) + 4;
        var sub = (bucket - LinearLimit) % SubBuckets;
        return (1L << exponent) + ((long)sub << (exponent - SubBucketBits));
    }

    /// <summary>The bucket's midpoint: the estimate reported for values that fell in it.</summary>
    public static double Midpoint(int bucket) =>
        bucket < LinearLimit || bucket == BucketCount - 1
            ? LowerBound(bucket)
            : (LowerBound(bucket) + LowerBound(bucket + 1)) / 2.0;

    /// <summary>The duration, in ns, below which <paramref name="quantile"/> of the counted calls fall.</summary>
    public static double Percentile(ReadOnlySpan<long> buckets, double quantile)
    {
        long total = 0;
        foreach (var c in buckets)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            seen += buckets[i];
            if (seen >= rank && buckets[i] > 0)
            {
                return Midpoint(i);
            }
        }

        return Midpoint(buckets.Length - 1);
    }
}
