using System.CommandLine;
using Advisor.Core.Failures;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// <c>--format json</c> of the commands that list rather than report (<c>ps</c>, <c>rules</c>): the console table by
/// default, or JSON on stdout for scripts and for the MCP server, which reads these commands' output.
/// </summary>
internal sealed class ListFormat
{
    public Option<string?> Option { get; } = new("--format")
    {
        Description = "Print JSON to stdout instead of the table: json.",
    };

    public void AddTo(Command command) => command.Options.Add(Option);

    /// <exception cref="AdvisorException">A format other than json: exit 2.</exception>
    public bool IsJson(ParseResult result) => result.GetValue(Option) switch
    {
        null => false,
        var format when string.Equals(format, "json", StringComparison.OrdinalIgnoreCase) => true,
        var format => throw new AdvisorException(FailureKind.Usage, $"--format '{format}' is not supported here: use json"),
    };
}
