using System.CommandLine;

namespace Advisor.Cli.Output.Monitor;

/// <summary>Every output <c>monitor</c> can send to, in the order their options show and they start.</summary>
internal static class MonitorOutputs
{
    /// <summary>Made anew for each command line built: an option belongs to the one command it was added to.</summary>
    public static IReadOnlyList<IMonitorOutput> All =>
    [
        new LogOutput(),
        new PrometheusOutput(),
        new OtlpOutput(),
    ];

    /// <summary>The outputs asked for, each checked (<see cref="IMonitorOutput.Bind"/>).</summary>
    public static IReadOnlyList<MonitorOutputPlan> Bind(ParseResult result, IReadOnlyList<IMonitorOutput> outputs) =>
        [.. outputs.Select(o => o.Bind(result)).OfType<MonitorOutputPlan>()];
}
