using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Runtime.Capture;

namespace Advisor.Cli.Sessions;

/// <summary>
/// The recording commands' shared path: attach (or launch), record, analyse, report. It only wires the
/// stages; the live recording is a <see cref="LiveCapture"/>.
/// </summary>
internal static class ProfileWorkflow
{
    public static async Task<int> ProfileAsync(int pid, ReportOptions options, RecordingChoice recording, CancellationToken cancel)
    {
        options.Validate();
        recording.Validate();
        var rules = options.LoadRules();
        var gates = options.LoadGates();
        await using var capture = LiveCapture.Attach(pid, recording.Capture(options.RawOutputs));
        var progress = new RecordingProgress($"pid {pid} {capture.Describe(exitCode: null).Name}", live: !options.Quiet);
        var reason = await capture.RecordAsync(recording.Duration, progress.Update, cancel).ConfigureAwait(false);
        progress.Done(capture.EventsTotal, capture.LostEvents);

        var target = capture.Describe(exitCode: null);
        string[] ended = reason == StopReason.TargetExited ? ["the target exited during the recording: this is what was seen until then"] : [];
        var result = await capture.FinishAsync(reason, target, ended).ConfigureAwait(false);
        return Report(target, result, options, rules, gates);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> command, ReportOptions options, RecordingChoice recording, CancellationToken cancel)
    {
        options.Validate();
        recording.Validate();
        if (command.Count == 0)
        {
            throw new AdvisorException(FailureKind.Usage, "run needs a command after --, e.g. dotnet-advisor run -- dotnet MyApp.dll");
        }

        var rules = options.LoadRules();
        var gates = options.LoadGates();
        await using var capture = LiveCapture.Launch(SelfInvocation.Command(SelfInvocation.ExecVerb), command, recording.Capture(options.RawOutputs));
        var progress = new RecordingProgress($"'{string.Join(' ', command)}'", live: false);
        var reason = await capture.RecordAsync(recording.Duration, progress.Update, cancel).ConfigureAwait(false);
        progress.Done(capture.EventsTotal, capture.LostEvents);

        var exitCode = capture.CommandExitCode(reason);
        string[] stillRunning = exitCode is null ? [$"recording stopped while the command was still running (pid {capture.Pid}); it was left running"] : [];
        var target = capture.Describe(exitCode);
        var result = await capture.FinishAsync(reason, target, stillRunning).ConfigureAwait(false);
        if (Report(target, result, options, rules, gates) is var verdict and not (int)ReturnCode.Ok)
        {
            return verdict;
        }

        // The gate passed, so the command's own failure is what the caller must see.
        return exitCode is { } code and not 0 ? code : (int)ReturnCode.Ok;
    }

    /// <summary>Rules, report, outputs, gates: the same for every recording command.</summary>
    private static int Report(TargetInfo target, RecordingResult result, ReportOptions options, RuleCatalog rules, GateSettings gates)
    {
        var report = options.Shape(ReportBuilder.Analyse(AdvisorTool.Info, target, result.Backend, result.Notes, result.Snapshot, rules));
        ReportOutput.Emit(new ReportContext(report, rules, options.Redact) { Snapshot = result.Snapshot, Events = result.Kept }, options, ConsoleReport.Render);
        return ReportOutput.GateVerdict(report, gates, options);
    }
}
