using System.CommandLine;

namespace Advisor.Cli.CommandLine;

/// <summary>The options profile, run and demo share (README "Commands"), declared once.</summary>
internal sealed class SharedOptions
{
    public Option<string[]> Output { get; } = new("--output", "-o")
    {
        Description = $"Write the report to PATH; the format follows the extension: {Cli.Output.ReportExporters.Endings} (README \"Output formats\"). Repeatable.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Do not print the console report.",
    };

    public Option<string?> Format { get; } = new("--format")
    {
        Description = $"Print the report to stdout in this format instead of the console report: {string.Join(", ", Cli.Output.ReportExporters.Printable.Select(e => e.Name))}.",
    };

    public Option<string?> Duration { get; } = new("--duration")
    {
        Description = "Stop recording after this long: 30s, 2m, 500ms, or dd:hh:mm:ss.",
    };

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "Syscall source: auto (the best that works: bpf, then perf, ptrace, proc), bpf (every call, paired in the kernel: cheapest), perf (every call), ptrace (every call, slow; profile only), proc (/proc sampling: needs no rights, statistical).",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int> SampleRate { get; } = new("--sample-rate")
    {
        Description = "Samples per second of the proc backend (1 to 1000).",
        DefaultValueFactory = _ => Linux.ProcSampling.ProcOptions.DefaultRateHz,
        CustomParser = result => WholeNumber.Parse(
            result, $"use {Linux.ProcSampling.ProcOptions.MinRateHz} to {Linux.ProcSampling.ProcOptions.MaxRateHz} samples per second") ?? 0,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Also show info findings and every syscall in the summary.",
    };

    public Option<string> Stacks { get; } = new("--stacks")
    {
        Description = "Which calls' stacks are walked: sampled (bpf: the first 16 of each thread × syscall, then 1 in 64; perf: 1 in 61 per thread; call-site counts are scaled estimates), all (every call: exact call-site counts, slower; frame pointers only, no native unwinding), none.",
        DefaultValueFactory = _ => "sampled",
    };

    public Option<bool> NoStacks { get; } = new("--no-stacks")
    {
        Description = "The same as --stacks none (findings then name no method).",
    };

    public Option<bool> Redact { get; } = new("--redact")
    {
        Description = "Replace file paths, socket endpoints and the command line with stable hashes in every report and recording.",
    };

    public CatalogOptions Catalog { get; } = new();

    public GateOptions Gates { get; } = new();

    /// <param name="withDuration">The command stops on its own or by --duration (not demo).</param>
    /// <param name="recording">The command records syscalls (not hang, which reads /proc and the runtime once, nor report).</param>
    /// <param name="counts">The report has syscall counts for budgets and baselines (not hang).</param>
    public void AddTo(Command command, bool withDuration = true, bool recording = true, bool counts = true)
    {
        command.Options.Add(Output);
        command.Options.Add(Quiet);
        command.Options.Add(Format);
        if (withDuration && recording)
        {
            command.Options.Add(Duration);
        }

        if (recording)
        {
            command.Options.Add(Backend);
            command.Options.Add(SampleRate);
            command.Options.Add(Stacks);
            command.Options.Add(NoStacks);
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
        result.GetValue(Duration),
        result.GetValue(Backend) ?? "auto",
        result.GetValue(Verbose),
        result.GetValue(NoStacks) ? "none" : result.GetValue(Stacks) ?? "sampled",
        Catalog.Bind(result),
        Gates.Bind(result),
        result.GetValue(Redact),
        // Commands that do not record (report, hang) have no --sample-rate: they keep the default.
        result.GetResult(SampleRate) is null ? Linux.ProcSampling.ProcOptions.DefaultRateHz : result.GetValue(SampleRate));
}
