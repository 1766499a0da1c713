namespace Advisor.Cli.Mcp;

/// <summary>
/// One run of this tool's own command line on behalf of an MCP tool: the command and its arguments, and how long it
/// may take before it is stopped.
/// </summary>
/// <param name="Arguments">The command line after the program: the command first (<c>profile</c>, <c>rules</c>, …).</param>
internal sealed record CliCall(IReadOnlyList<string> Arguments, TimeSpan Bound)
{
    /// <summary>
    /// Where the command writes its JSON report, for a command whose stdout is not its own (<c>run</c> passes the
    /// launched command's output through), alone in a directory of its own that is removed after the call; null when
    /// the JSON is on stdout.
    /// </summary>
    public string? ReportFile { get; init; }
}
