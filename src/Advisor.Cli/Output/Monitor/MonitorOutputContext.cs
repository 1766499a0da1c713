namespace Advisor.Cli.Output.Monitor;

/// <summary>What an output is started with: the log it announces itself in, and the watch's interval.</summary>
internal sealed record MonitorOutputContext(TextWriter Log, TimeSpan Interval);
