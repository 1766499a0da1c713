namespace MetricsService;

/// <summary>The StatsD client the endpoint reports to: a counter and a timing, as most StatsD clients offer.</summary>
internal interface IMetrics : IDisposable
{
    /// <summary>UDP datagrams sent so far, each one <c>send</c> syscall (final once disposed).</summary>
    long DatagramsSent { get; }

    void Increment(string name, long value);

    void Timing(string name, double milliseconds);
}
