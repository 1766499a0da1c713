namespace Advisor.Cli.Output.Monitor;

/// <summary>What an output is started with: the log it announces itself in, the watch's interval, and the tool's version (which a collector is told).</summary>
internal sealed record MonitorOutputContext(TextWriter Log, TimeSpan Interval, string ToolVersion);
