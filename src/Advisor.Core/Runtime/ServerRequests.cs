namespace Advisor.Core.Runtime;

/// <summary>
/// The requests an ASP.NET Core server handled while it was recorded, from its hosting counters (the
/// running total, sampled every half second): what a server's socket calls are weighed against, since one
/// receive and one send per request is a server doing its job, not a storm.
/// </summary>
/// <param name="Totals">The samples of the running total, in time order (at most <see cref="MaxSamples"/>).</param>
/// <param name="InFlight">Requests in flight at the last sample.</param>
/// <param name="MaxInFlight">Most requests in flight at any sample.</param>
public sealed record ServerRequests(IReadOnlyList<CounterSample> Totals, long InFlight, long MaxInFlight)
{
    /// <summary>Over an hour of samples; a longer recording keeps its first ones (a rate needs only two).</summary>
    public const int MaxSamples = 8192;

    public static ServerRequests None { get; } = new([], 0, 0);

    /// <summary>Whether the counters gave a rate (a server that reported at least twice).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Known => Totals.Count >= 2 && Totals[^1].AtNs > Totals[0].AtNs;

    /// <summary>Requests started per second between the first and the last sample.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double PerSecond => Known ? Math.Max(0, Totals[^1].Total - Totals[0].Total) / ((Totals[^1].AtNs - Totals[0].AtNs) / 1e9) : 0;

    /// <summary>
    /// Requests started between <paramref name="startNs"/> and <paramref name="endNs"/>: the running total
    /// read at both ends, between samples on the line joining them, and beyond the first or last sample at the
    /// rate of the interval next to it — for one interval at most: samples stop coming when the service stops
    /// (a launched service's shutdown), and its requests with them.
    /// </summary>
    public double Over(long startNs, long endNs) => Known ? Math.Max(0, TotalAt(endNs) - TotalAt(startNs)) : 0;

    private double TotalAt(long ns)
    {
        var (first, last) = (Totals[0], Totals[^1]);
        if (ns <= first.AtNs)
        {
            var interval = Totals[1].AtNs - first.AtNs;
            return Math.Max(0, first.Total - (Rate(first, Totals[1]) * Math.Min(first.AtNs - ns, interval) / 1e9));
        }

        if (ns >= last.AtNs)
        {
            var before = Totals[^2];
            var interval = last.AtNs - before.AtNs;
            return ns - last.AtNs > interval ? last.Total : last.Total + (Rate(before, last) * (ns - last.AtNs) / 1e9);
        }

        var i = 1;
        while (Totals[i].AtNs < ns)
        {
            i++;
        }

        var (from, to) = (Totals[i - 1], Totals[i]);
        return from.Total + (Rate(from, to) * (ns - from.AtNs) / 1e9);
    }

    private static double Rate(CounterSample from, CounterSample to) =>
        to.AtNs > from.AtNs ? Math.Max(0, to.Total - from.Total) / ((to.AtNs - from.AtNs) / 1e9) : 0;
}

/// <summary>One sample of a running total: when (CLOCK_MONOTONIC ns) and its value.</summary>
public readonly record struct CounterSample(long AtNs, long Total);
