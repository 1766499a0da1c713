using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Advisor.IntegrationTests.Support;

/// <summary>`dotnet-advisor mcp`, the built tool, driven by the MCP SDK's own client over stdio.</summary>
internal sealed class AdvisorMcp : IAsyncDisposable
{
    private AdvisorMcp(McpClient client) => Client = client;

    public McpClient Client { get; }

    /// <param name="options">Options of <c>mcp</c> (<c>--allow-run</c>).</param>
    public static async Task<AdvisorMcp> StartAsync(params string[] options) =>
        new(await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "dotnet-advisor",
            Command = RepoLayout.Tool,
            Arguments = ["mcp", .. options],
        })).ConfigureAwait(false));

    public async Task<IReadOnlyList<string>> ToolNamesAsync() =>
        (await Client.ListToolsAsync().ConfigureAwait(false)).Select(t => t.Name).ToList();

    /// <summary>Calls a tool, failing the test rather than waiting past the runner's generous limit.</summary>
    public async Task<ToolAnswer> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        using var limit = new CancellationTokenSource(ProcessRunner.DefaultTimeout);
        var result = await Client.CallToolAsync(tool, arguments, cancellationToken: limit.Token).ConfigureAwait(false);
        return new ToolAnswer(
            result.IsError == true,
            result.Content.OfType<TextContentBlock>().Select(t => t.Text).ToList(),
            result.StructuredContent ?? throw new InvalidOperationException($"{tool} returned no structured content"));
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>A tool's answer: an error or not, its text blocks, and its structured JSON.</summary>
internal sealed record ToolAnswer(bool IsError, IReadOnlyList<string> Texts, JsonElement Json)
{
    public ReportJson Report => ReportJson.Parse(Json.GetRawText());
}
