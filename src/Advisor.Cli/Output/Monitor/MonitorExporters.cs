using Advisor.Core.Monitoring;

namespace Advisor.Cli.Output.Monitor;

/// <summary>
/// The outputs of one <c>monitor</c> run, as one exporter: opened before anything is attached, started once the
/// watches are, and each interval and collection handed to every one of them in the order they were listed.
/// </summary>
internal sealed class MonitorExporters(IReadOnlyList<MonitorOutputPlan> plans) : IMonitorExporter
{
    private readonly List<IMonitorExporter> _started = [];

    /// <summary>Opens every output (see <see cref="MonitorOutputPlan.Open"/>).</summary>
    public void Open()
    {
        foreach (var plan in plans)
        {
            plan.Open();
        }
    }

    /// <summary>Starts every output, in order.</summary>
    public void Start(MonitorOutputContext context)
    {
        foreach (var plan in plans)
        {
            _started.Add(plan.Start(context));
        }
    }

    public void Observe(IntervalOutcome interval)
    {
        foreach (var exporter in _started)
        {
            exporter.Observe(interval);
        }
    }

    public void Collected(Collection collection)
    {
        foreach (var exporter in _started)
        {
            exporter.Collected(collection);
        }
    }

    /// <summary>Ends every output: the last export of each, and whatever an output opened but never started.</summary>
    public void Dispose()
    {
        foreach (var exporter in _started)
        {
            exporter.Dispose();
        }

        _started.Clear();
        foreach (var plan in plans)
        {
            plan.Dispose();
        }
    }
}
