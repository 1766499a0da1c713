using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Advisor.Cli.Mcp;

/// <summary><c>mcp</c>: the tools served over stdio until the client closes the server's stdin (or Ctrl+C, SIGTERM).</summary>
internal static class McpStdioServer
{
    private const string Instructions =
        "dotnet-advisor records the system calls of .NET processes on Linux and says which costly patterns it found, in which "
        + "method, and how to fix them. Start with ps to find a pid; profile records it for a few seconds; hang explains a "
        + "stuck process; report analyses a saved recording; diff compares a recording before and after a fix; rules_list "
        + "and rules_explain describe what each finding means.";

    public static async Task<int> RunAsync(bool allowRun, CancellationToken cancel)
    {
        // stdout carries the protocol alone: the transport writes to the stdout stream itself, and anything else that
        // writes to Console.Out (a library's stray line) goes to stderr, where clients show it as the server's log.
        Console.SetOut(Console.Error);

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var tools = AdvisorTools.For(allowRun);
        foreach (var tool in tools)
        {
            tool.ServerEnding = ending.Token;
        }

        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = AdvisorTool.Info.Name, Version = AdvisorTool.Info.Version },
            ServerInstructions = Instructions,
            ToolCollection = [.. tools],
        };
        await using var transport = new StdioServerTransport(options);
        await using var server = McpServer.Create(transport, options);

        // The session waits for the calls in flight before it ends: when the client has gone (stdin closed), their
        // commands are stopped now instead of running to their bounds for nobody.
        _ = transport.MessageReader.Completion.ContinueWith(_ => ending.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await server.RunAsync(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: a normal end, as the client closing stdin is.
        }

        return (int)ReturnCode.Ok;
    }
}
