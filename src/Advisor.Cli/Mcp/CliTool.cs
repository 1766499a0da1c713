using System.Text.Json;
using Advisor.Core.Failures;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Advisor.Cli.Mcp;

/// <summary>
/// An MCP tool that is one command of this tool's own command line: its arguments checked, then the command run as a
/// child (<see cref="CliChild"/>) with JSON output and a bound in time, and its JSON or its error line returned.
/// </summary>
internal abstract class CliTool : McpServerTool
{
    private readonly IReadOnlyCollection<string> _argumentNames;

    /// <param name="inputSchema">The JSON Schema of the arguments; the names of its properties are the only ones taken.</param>
    /// <param name="readOnly">The tool only observes (every tool but run, which launches a command).</param>
    protected CliTool(string name, string title, string description, string inputSchema, bool readOnly = true)
    {
        using var schema = JsonDocument.Parse(inputSchema);
        _argumentNames = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        ProtocolTool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = schema.RootElement.Clone(),
            Annotations = new ToolAnnotations { Title = title, ReadOnlyHint = readOnly, DestructiveHint = !readOnly, OpenWorldHint = !readOnly },
        };
    }

    public override Tool ProtocolTool { get; }

    /// <summary>
    /// Cancelled when the server ends (its client closed stdin, or Ctrl+C, SIGTERM): a command still running is then
    /// stopped at once rather than left to run to its bound for a client that is gone.
    /// </summary>
    public CancellationToken ServerEnding { get; set; }

    public override IReadOnlyList<object> Metadata => [];

    /// <summary>The command line these arguments stand for.</summary>
    /// <exception cref="AdvisorException">An argument is missing, mistyped, out of range or unknown.</exception>
    public CliCall Call(IDictionary<string, JsonElement>? arguments) => Call(new ToolArguments(ProtocolTool.Name, arguments, _argumentNames));

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CliCall call;
        try
        {
            call = Call(request.Params?.Arguments);
        }
        catch (AdvisorException refused)
        {
            return ToolResults.Failure(refused);
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ServerEnding);
            var outcome = await CliChild.RunAsync(call, stop.Token).ConfigureAwait(false);
            return ToolResults.From(call, outcome, Summarize);
        }
        finally
        {
            if (call.ReportFile is { } file)
            {
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            }
        }
    }

    protected abstract CliCall Call(ToolArguments arguments);

    /// <summary>The short text an assistant reads beside the JSON.</summary>
    protected abstract string Summarize(JsonElement json);
}
