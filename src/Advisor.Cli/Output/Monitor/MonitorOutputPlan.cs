using Advisor.Core.Monitoring;

namespace Advisor.Cli.Output.Monitor;

/// <summary>An output asked for and checked (<see cref="IMonitorOutput.Bind"/>), not started yet.</summary>
internal abstract class MonitorOutputPlan : IDisposable
{
    /// <summary>Before any process is attached: what can fail early (a port in use) fails here, exit 2.</summary>
    public virtual void Open()
    {
    }

    /// <summary>Once the watches are attached and announced: says where it sends, and starts; the exporter is the caller's.</summary>
    public abstract IMonitorExporter Start(MonitorOutputContext context);

    /// <summary>Lets go of what <see cref="Open"/> took when it was never started (an attach failed).</summary>
    public virtual void Dispose()
    {
    }
}
