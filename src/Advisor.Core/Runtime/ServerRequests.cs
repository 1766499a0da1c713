namespace Advisor.Core.Runtime;

/// <summary>
/// The requests an ASP.NET Core server handled while it was recorded, from its hosting counters (sampled
/// once a second): what a server's socket calls are weighed against, since one receive and one send per
/// request is a server doing its job, not a storm.
/// </summary>
/// <param name="PerSecond">Requests started per second between the first and the last counter sample.</param>
/// <param name="Samples">Counter samples received; a rate needs two.</param>
/// <param name="InFlight">Requests in flight at the last sample.</param>
/// <param name="MaxInFlight">Most requests in flight at any sample.</param>
public sealed record ServerRequests(double PerSecond, int Samples, long InFlight, long MaxInFlight)
{
    public static ServerRequests None { get; } = new(0, 0, 0, 0);

    /// <summary>Whether the counters gave a rate (a server that reported at least twice).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Known => Samples >= 2;

    /// <summary>Requests over a recording of this length, at the measured rate.</summary>
    public double Over(double seconds) => Known ? PerSecond * seconds : 0;
}
