using System.CommandLine;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Cli.CommandLine;

/// <summary>The options the reporting commands share (README "Commands"), declared once; each command has its own set.</summary>
internal sealed class SharedOptions
{
    /// <param name="writes">What the command can give the writers, so -o's help lists only the formats it writes.</param>
    public SharedOptions(ExporterInput writes = ExporterInput.LiveRecording)
    {
        Output = new("--output", "-o")
        {
            Description = $"Write the report to PATH; the format follows the extension: {Cli.Output.ReportExporters.EndingsUpTo(writes)} (README \"Output formats\"). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };
    }

    public Option<string[]> Output { get; }

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Do not print the console report.",
    };

    public Option<string?> Format { get; } = new("--format")
    {
        Description = $"Print the report to stdout in this format instead of the console report: {string.Join(", ", Cli.Output.ReportExporters.Printable.Select(e => e.Name))}.",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Also show info findings and every syscall in the summary.",
    };

    public Option<bool> Redact { get; } = new("--redact")
    {
        Description = "Replace file paths, socket endpoints and the command line with stable hashes in every report and recording.",
    };

    public CatalogOptions Catalog { get; } = new();

    public GateOptions Gates { get; } = new();

    public RecordingOptions Recording { get; } = new();

    /// <summary>The options of a command that reports: output, rules, gates, and for the commands that record, how.</summary>
    /// <param name="recording">The command records syscalls (not hang, which reads /proc and the runtime once, nor report).</param>
    /// <param name="withDuration">The command stops on its own or by --duration (not demo).</param>
    /// <param name="counts">The report has syscall counts for budgets and baselines (not hang).</param>
    public void AddTo(Command command, bool recording = true, bool withDuration = true, bool counts = true)
    {
        command.Options.Add(Output);
        command.Options.Add(Quiet);
        command.Options.Add(Format);
        if (recording)
        {
            Recording.AddTo(command, withDuration);
        }

        command.Options.Add(Verbose);
        command.Options.Add(Redact);
        Catalog.AddTo(command);
        Gates.AddTo(command, counts);
    }

    public ReportOptions Bind(ParseResult result) => new(
        result.GetValue(Output) ?? [],
        result.GetValue(Quiet),
        result.GetValue(Format),
        result.GetValue(Verbose),
        Catalog.Bind(result),
        Gates.Bind(result),
        result.GetValue(Redact));
}
