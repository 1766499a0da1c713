using System.CommandLine;
using Advisor.Cli.Mcp;
using Advisor.Cli.Mcp.Tools;

namespace Advisor.Cli.Commands;

/// <summary><c>mcp [--allow-run]</c>: serves the tool's commands to AI assistants over the Model Context Protocol (docs/mcp.md).</summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var allowRun = new Option<bool>("--allow-run")
        {
            Description = $"Also offer the run tool, which launches a command the assistant chooses (up to {RunTool.MaxSeconds} s traced). Without it no tool starts a program.",
        };
        var command = new Command(
            "mcp",
            "Serve dotnet-advisor to AI assistants as a Model Context Protocol server on stdio (docs/mcp.md): tools ps, "
            + $"profile (a pid, {ProfileTool.DefaultSeconds} s by default, {ProfileTool.MaxSeconds} s at most), hang, report, diff, rules_list and "
            + "rules_explain, each running this tool's command with JSON output in a child process, bounded in time. "
            + "Read-only unless --allow-run. It sees every process this user can trace. Nothing but the protocol goes "
            + "to stdout; the server ends when its client closes stdin.");
        command.Options.Add(allowRun);
        command.SetAction((result, cancel) => McpStdioServer.RunAsync(result.GetValue(allowRun), cancel));
        return command;
    }
}
