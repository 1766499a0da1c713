namespace Advisor.Core.Monitoring;

/// <summary>
/// Where <c>monitor</c> sends what it judged (Prometheus, OTLP): one call per process per interval, on the
/// monitor's own thread. Each is started by an output of the Cli's list (docs/architecture.md, "Where to add": a monitor output).
/// </summary>
/// <remarks>
/// Calls must return at once whatever the other end does: they run on the thread that judges every window, so an
/// exporter that sends over the network does it on a thread of its own, with bounded memory and a bounded wait.
/// </remarks>
public interface IMonitorExporter : IDisposable
{
    /// <summary>One interval of one process. After an outcome with <see cref="IntervalOutcome.Exited"/>, no more come for that pid.</summary>
    void Observe(IntervalOutcome interval);

    /// <summary>A trigger fired and its evidence was saved.</summary>
    void Collected(Collection collection);
}
