using Advisor.Core.Aggregation;

namespace Advisor.UnitTests.Aggregation;

public class DurationHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(1, 1)]
    [InlineData(15, 15)]
    [InlineData(16, 16)]
    [InlineData(19, 16)]
    [InlineData(20, 17)]
    [InlineData(31, 19)]
    [InlineData(32, 20)]
    [InlineData(1_000, 39)] // 2^9 + 3/4 · 2^9 = 896 ≤ 1000 < 1024
    [InlineData(1_024, 40)]
    public void Durations_fall_in_exact_buckets_below_16_ns_then_four_per_power_of_two(long durationNs, int bucket) =>
        DurationHistogram.BucketOf(durationNs).ShouldBe(bucket);

    [Fact]
    public void Every_bucket_holds_exactly_the_durations_from_its_lower_bound_to_the_next_ones()
    {
        for (var bucket = 0; bucket < DurationHistogram.BucketCount - 1; bucket++)
        {
            var lower = DurationHistogram.LowerBound(bucket);
            var next = DurationHistogram.LowerBound(bucket + 1);
            next.ShouldBeGreaterThan(lower);
            DurationHistogram.BucketOf(lower).ShouldBe(bucket);
            DurationHistogram.BucketOf(next - 1).ShouldBe(bucket);
        }
    }

    [Fact]
    public void Buckets_above_the_linear_range_are_at_most_a_quarter_of_their_lower_bound_wide()
    {
        for (var bucket = 16; bucket < DurationHistogram.BucketCount - 1; bucket++)
        {
            var lower = DurationHistogram.LowerBound(bucket);
            var width = DurationHistogram.LowerBound(bucket + 1) - lower;
            ((double)width / lower).ShouldBeLessThanOrEqualTo(0.25);
            DurationHistogram.Midpoint(bucket).ShouldBe(lower + (width / 2.0));
        }
    }

    [Fact]
    public void Durations_beyond_the_range_land_in_the_last_bucket()
    {
        DurationHistogram.BucketOf(long.MaxValue).ShouldBe(DurationHistogram.BucketCount - 1);
        DurationHistogram.BucketOf(3L << 40).ShouldBe(DurationHistogram.BucketCount - 1);
        // The last bucket is open-ended: its estimate is its lower bound (~18 minutes), not a midpoint.
        DurationHistogram.Midpoint(DurationHistogram.BucketCount - 1)
            .ShouldBe(DurationHistogram.LowerBound(DurationHistogram.BucketCount - 1));
        DurationHistogram.LowerBound(DurationHistogram.BucketCount - 1).ShouldBeGreaterThan(1_000_000_000_000L);
    }

    private static long[] Histogram(IEnumerable<long> durations)
    {
        var buckets = new long[DurationHistogram.BucketCount];
        foreach (var d in durations)
        {
            buckets[DurationHistogram.BucketOf(d)]++;
        }

        return buckets;
    }

    [Theory]
    [InlineData(0.50, 50_000)]
    [InlineData(0.90, 90_000)]
    [InlineData(0.99, 99_000)]
    public void Percentiles_of_a_uniform_distribution_are_within_one_buckets_resolution(double quantile, double expected)
    {
        var buckets = Histogram(Enumerable.Range(1, 100_000).Select(i => (long)i));

        DurationHistogram.Percentile(buckets, quantile).ShouldBe(expected, expected * 0.13);
    }

    [Fact]
    public void Percentiles_of_a_bimodal_distribution_pick_the_right_mode()
    {
        // 95 fast calls of ~2 µs, 5 slow ones of ~40 ms.
        var buckets = Histogram(Enumerable.Repeat(2_000L, 95).Concat(Enumerable.Repeat(40_000_000L, 5)));

        DurationHistogram.Percentile(buckets, 0.50).ShouldBe(2_000, 2_000 * 0.13);
        DurationHistogram.Percentile(buckets, 0.95).ShouldBe(2_000, 2_000 * 0.13);
        DurationHistogram.Percentile(buckets, 0.99).ShouldBe(40_000_000, 40_000_000 * 0.13);
    }

    [Theory]
    [InlineData(7L)]
    [InlineData(700L)]
    [InlineData(12_345L)]
    [InlineData(3_000_000L)]
    [InlineData(987_654_321L)]
    public void A_single_duration_is_estimated_within_one_buckets_resolution(long durationNs)
    {
        var buckets = Histogram([durationNs]);

        DurationHistogram.Percentile(buckets, 0.5).ShouldBe(durationNs, durationNs * 0.13);
        DurationHistogram.Percentile(buckets, 0.99).ShouldBe(durationNs, durationNs * 0.13);
    }

    [Fact]
    public void The_percentile_of_an_empty_histogram_is_zero() =>
        DurationHistogram.Percentile(new long[DurationHistogram.BucketCount], 0.5).ShouldBe(0);
}
