namespace Advisor.Core.Runtime;

/// <summary>
/// The requests an ASP.NET Core server handled while it was recorded, from its hosting counters (the
/// running total, sampled every half second): what a server's socket calls are weighed against, since one
/// receive and one send per request is a server doing its job, not a storm.
/// </summary>
/// <param name="First">The first sample: when, and the total requests since the process began.</param>
/// <param name="Second">The second sample (the first interval's rate).</param>
/// <param name="BeforeLast">The sample before the last (the last interval's rate).</param>
/// <param name="Last">The last sample.</param>
/// <param name="Samples">Samples received; a rate needs two.</param>
/// <param name="InFlight">Requests in flight at the last sample.</param>
/// <param name="MaxInFlight">Most requests in flight at any sample.</param>
public sealed record ServerRequests(
    CounterSample First, CounterSample Second, CounterSample BeforeLast, CounterSample Last, int Samples, long InFlight, long MaxInFlight)
{
    public static ServerRequests None { get; } = new(default, default, default, default, 0, 0, 0);

    /// <summary>Whether the counters gave a rate (a server that reported at least twice).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Known => Samples >= 2 && Last.AtNs > First.AtNs;

    /// <summary>Requests started per second between the first and the last sample.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double PerSecond => Known ? Math.Max(0, Last.Total - First.Total) / ((Last.AtNs - First.AtNs) / 1e9) : 0;

    /// <summary>
    /// Requests started between <paramref name="startNs"/> and <paramref name="endNs"/>: those between the
    /// first and last samples exactly, and before and after them at the rate of the interval next to them — a
    /// launched service's first sample comes a second into its life, and load rarely runs to the last moment.
    /// </summary>
    public double Over(long startNs, long endNs)
    {
        if (!Known)
        {
            return 0;
        }

        var head = Math.Min(First.Total, Rate(First, Second) * Math.Max(0, First.AtNs - startNs) / 1e9);
        var tail = Rate(BeforeLast, Last) * Math.Max(0, endNs - Last.AtNs) / 1e9;
        return Math.Max(0, Last.Total - First.Total) + head + tail;
    }

    private static double Rate(CounterSample from, CounterSample to) =>
        to.AtNs > from.AtNs ? Math.Max(0, to.Total - from.Total) / ((to.AtNs - from.AtNs) / 1e9) : 0;
}

/// <summary>One sample of a running total: when (CLOCK_MONOTONIC ns) and its value.</summary>
public readonly record struct CounterSample(long AtNs, long Total);
