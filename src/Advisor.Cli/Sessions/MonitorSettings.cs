using Advisor.Cli.CommandLine;
using Advisor.Cli.Output.Monitor;

namespace Advisor.Cli.Sessions;

/// <summary>
/// What <c>monitor</c> does each interval: how long one is and how much of it is recorded, whether info findings are
/// logged, where what it judged goes, what triggers save evidence.
/// </summary>
/// <param name="RecordFor">How much of each interval is recorded (the rest paused, where the backend can); the whole interval when as long.</param>
/// <param name="Outputs">The outputs asked for, checked (<see cref="MonitorOutputs"/>): the log, and Prometheus or OTLP when given.</param>
internal sealed record MonitorSettings(
    TimeSpan Interval, bool Verbose, TimeSpan RecordFor, IReadOnlyList<MonitorOutputPlan> Outputs, CollectChoice? Collect = null)
{
    /// <summary>Whether the runtime sessions also ask for the thread pool's events (<c>--pool-events</c>), which ADV005 reads.</summary>
    public bool PoolEvents { get; init; }
}
