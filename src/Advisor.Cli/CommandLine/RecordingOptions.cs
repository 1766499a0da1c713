using System.CommandLine;
using Advisor.Core.Failures;
using Advisor.Core.Stacks;
using Advisor.Linux.Backends;
using Advisor.Linux.ProcSampling;
using Advisor.Runtime.Capture;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// How syscalls are recorded: --duration, --backend, --sample-rate, --stacks. Only the commands that record
/// (profile, run, demo) have them; report and hang do not, so they cannot be given and silently ignored.
/// </summary>
internal sealed class RecordingOptions
{
    public Option<string?> Duration { get; } = new("--duration")
    {
        Description = "Stop recording after this long: 30s, 2m, 500ms, or dd:hh:mm:ss.",
    };

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = $"Syscall source: {string.Join(", ", SyscallBackends.Choices.Select(c => $"{c.Name} ({c.Gives})"))}.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int> SampleRate { get; } = new("--sample-rate")
    {
        Description = "Samples per second of the proc backend (1 to 1000).",
        DefaultValueFactory = _ => ProcOptions.DefaultRateHz,
        CustomParser = result => WholeNumber.Parse(result, $"use {ProcOptions.MinRateHz} to {ProcOptions.MaxRateHz} samples per second") ?? 0,
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

    /// <param name="withDuration">The command stops on its own or by --duration (not demo).</param>
    public void AddTo(Command command, bool withDuration = true)
    {
        if (withDuration)
        {
            command.Options.Add(Duration);
        }

        command.Options.Add(Backend);
        command.Options.Add(SampleRate);
        command.Options.Add(Stacks);
        command.Options.Add(NoStacks);
    }

    public RecordingChoice Bind(ParseResult result) => new(
        result.GetValue(Duration),
        result.GetValue(Backend) ?? "auto",
        result.GetValue(NoStacks) ? "none" : result.GetValue(Stacks) ?? "sampled",
        result.GetValue(SampleRate));
}

/// <summary>The recording options as values; <see cref="Validate"/> checks them before anything is attached.</summary>
internal sealed record RecordingChoice(string? DurationText, string Backend, string StacksText = "sampled", int SampleRateHz = ProcOptions.DefaultRateHz)
{
    public TimeSpan? Duration => DurationText is null
        ? null
        : DurationParser.TryParse(DurationText, out var d)
            ? d
            : throw new AdvisorException(FailureKind.Usage, $"--duration '{DurationText}' is not a duration: use 30s, 2m, 500ms or dd:hh:mm:ss");

    /// <summary>Which calls' stacks are walked (<c>--stacks</c>).</summary>
    public StackMode StackMode => StacksText switch
    {
        "sampled" => StackMode.Sampled,
        "all" => StackMode.All,
        "none" => StackMode.None,
        _ => throw new AdvisorException(FailureKind.Usage, $"--stacks '{StacksText}' is not a choice: use sampled, all or none"),
    };

    /// <summary>Whether any stack is recorded.</summary>
    public bool Stacks => StackMode != StackMode.None;

    /// <summary>What the live capture is asked to record.</summary>
    /// <param name="rawOutputs">The outputs drawn from raw events: the events are kept for them.</param>
    public CaptureRequest Capture(IReadOnlyList<string> rawOutputs) =>
        new(Backend, StackMode, SampleRateHz) { KeepEventsFor = rawOutputs.Count > 0 ? rawOutputs[0] : null };

    public void Validate()
    {
        _ = Duration;
        _ = StackMode;
        if (!SyscallBackends.Names.Contains(Backend))
        {
            throw new AdvisorException(FailureKind.Usage, $"--backend '{Backend}' is not a backend: use {string.Join(", ", SyscallBackends.Names)}");
        }

        if (SampleRateHz is < ProcOptions.MinRateHz or > ProcOptions.MaxRateHz)
        {
            throw new AdvisorException(
                FailureKind.Usage,
                $"--sample-rate {SampleRateHz} is out of range: use {ProcOptions.MinRateHz} to {ProcOptions.MaxRateHz} (samples per second)");
        }
    }
}
