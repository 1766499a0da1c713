using Advisor.Cli.Mcp.Tools;

namespace Advisor.Cli.Mcp;

/// <summary>The tools the server lists: every observing command, and <c>run</c> only when the user allowed it.</summary>
internal static class AdvisorTools
{
    public static IReadOnlyList<CliTool> For(bool allowRun) =>
    [
        new PsTool(),
        new ProfileTool(),
        new HangTool(),
        new ReportTool(),
        new DiffTool(),
        new RulesListTool(),
        new RulesExplainTool(),
        .. allowRun ? [new RunTool()] : Array.Empty<CliTool>(),
    ];
}
