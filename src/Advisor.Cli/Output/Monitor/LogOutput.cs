using System.CommandLine;
using Advisor.Cli.Rendering;
using Advisor.Core.Monitoring;

namespace Advisor.Cli.Output.Monitor;

/// <summary>The log on stdout, always on: a line per finding raised or cleared (what a trigger saved it says itself).</summary>
internal sealed class LogOutput : IMonitorOutput
{
    public IReadOnlyList<Option> Options { get; } = [];

    public MonitorOutputPlan? Bind(ParseResult result) => new Plan();

    private sealed class Plan : MonitorOutputPlan
    {
        public override IMonitorExporter Start(MonitorOutputContext context) => new Lines(context.Log);
    }

    private sealed class Lines(TextWriter log) : IMonitorExporter
    {
        public void Observe(IntervalOutcome interval)
        {
            foreach (var change in interval.Changes)
            {
                MonitorLog.Changed(log, change);
            }
        }

        public void Collected(Collection collection)
        {
        }

        public void Dispose()
        {
        }
    }
}
