using System.CommandLine;
using Advisor.Core.Failures;
using Advisor.Core.Findings;

namespace Advisor.Cli.CommandLine;

/// <summary>diff's options: where the diff goes, the rules recordings are analysed with, and the --fail-on-new gate.</summary>
internal sealed class DiffOptions
{
    // -q, --redact, --config and --rules mean for a diff what they mean for a report: declared once, there.
    private readonly SharedOptions _shared = new();

    public Option<string[]> Output { get; } = new("--output", "-o")
    {
        Description = $"Write the diff to PATH; the format follows the extension: {Cli.Output.DiffExporters.Endings}. Repeatable.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Format { get; } = new("--format")
    {
        Description = $"Print the diff to stdout in this format instead of the console view: {string.Join(", ", Cli.Output.DiffExporters.Printable.Select(e => e.Name))}.",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show every syscall and runtime total, not only the busiest and those that changed.",
    };

    public Option<string?> FailOnNew { get; } = new("--fail-on-new")
    {
        Description = "Exit with code 1 when the after run has a finding the before run did not, at or above this severity: error, warning, info or none (default none).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(_shared.Quiet);
        command.Options.Add(Format);
        command.Options.Add(Verbose);
        command.Options.Add(_shared.Redact);
        _shared.Catalog.AddTo(command);
        command.Options.Add(FailOnNew);
    }

    public DiffChoice Bind(ParseResult result) => new(
        result.GetValue(Output) ?? [],
        result.GetValue(_shared.Quiet),
        result.GetValue(Format),
        result.GetValue(Verbose),
        result.GetValue(_shared.Redact),
        _shared.Catalog.Bind(result),
        result.GetValue(FailOnNew));
}

/// <summary>diff's options as values.</summary>
internal sealed record DiffChoice(
    IReadOnlyList<string> Outputs, bool Quiet, string? Format, bool Verbose, bool Redact, CatalogChoice Rules, string? FailOnNewText)
{
    /// <summary>Checks the outputs and the gate before any input is read: exit 2 on a bad one.</summary>
    /// <returns>The --fail-on-new severity (none when not given).</returns>
    public Severity Validate()
    {
        if (Format is not null)
        {
            Cli.Output.DiffExporters.Printed(Format);
        }

        foreach (var output in Outputs)
        {
            Cli.Output.DiffExporters.For(output);
            Cli.Output.ReportFiles.RequireDirectory(output);
        }

        var failOn = Severity.None;
        return FailOnNewText is null || SeverityNames.TryParse(FailOnNewText, out failOn)
            ? failOn
            : throw new AdvisorException(FailureKind.Usage, $"--fail-on-new '{FailOnNewText}' must be error, warning, info or none");
    }
}
