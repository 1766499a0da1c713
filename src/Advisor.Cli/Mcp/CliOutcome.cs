namespace Advisor.Cli.Mcp;

/// <summary>How a <see cref="CliCall"/> ended: its exit code, what it printed, and whether it had to be stopped at its bound.</summary>
internal sealed record CliOutcome(int ExitCode, string Stdout, string Stderr, bool Stopped);
