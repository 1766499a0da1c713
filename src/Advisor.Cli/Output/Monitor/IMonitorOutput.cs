using System.CommandLine;

namespace Advisor.Cli.Output.Monitor;

/// <summary>
/// A kind of place <c>monitor</c> sends what it judged (the log, Prometheus, OTLP): the options that ask for it and
/// their check. To add one, write one class and add its line to <see cref="MonitorOutputs.All"/>.
/// </summary>
internal interface IMonitorOutput
{
    /// <summary>Its options, in the order <c>monitor --help</c> shows them.</summary>
    IReadOnlyList<Option> Options { get; }

    /// <summary>Checks what was given, before anything is attached; null when the output was not asked for.</summary>
    /// <exception cref="Core.Failures.AdvisorException">A value that cannot work, naming the option (exit 2).</exception>
    MonitorOutputPlan? Bind(ParseResult result);
}
