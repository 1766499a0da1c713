using System.Diagnostics;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Core.Sources;
using Advisor.Linux.Backends;
using Advisor.Linux.Launch;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Launch;
using Spectre.Console;

namespace Advisor.Cli.Sessions;

/// <summary>
/// The recording commands' shared path: attach (or launch), record, analyse, report. It only wires the
/// stages; each stage lives in its own project.
/// </summary>
internal static class ProfileWorkflow
{
    private static readonly TimeSpan ChildExitGrace = TimeSpan.FromSeconds(2);

    public static async Task<int> ProfileAsync(int pid, ReportOptions options, RecordingChoice recording, CancellationToken cancel)
    {
        options.Validate();
        recording.Validate();
        var rules = options.LoadRules();
        var gates = options.LoadGates();
        var identity = ProcessIdentity.Read(pid)
            ?? throw new AdvisorException(FailureKind.Target, $"no process with id {pid} (see `dotnet-advisor ps`)");
        var isDotNet = RuntimeProbe.RuntimeVersion(pid) is not null;

        // The runtime sessions start first: attaching perf is what the user waits for, and the sessions'
        // start-up then stays out of the recording.
        await using var session = new RecordingSession(recording.Stacks, isDotNet ? RuntimeRecorder.Attach(pid) : RuntimeRecorder.None(), options.RawOutputs);
        var watcher = new TargetWatcher(pid, identity.Name, identity.CommandLine, ready: () => true, session.Maps);
        var (source, backendNotes) = SyscallBackends.Attach(pid, session.Sink, session.Backend(recording));
        using var _ = source;
        using var stopWatching = new CancellationTokenSource();
        var exited = ProcTasks.WaitForExitAsync(pid, stopWatching.Token);
        var progress = new RecordingProgress($"pid {pid} {identity.Name}", live: !options.Quiet);
        var tree = new ProcessTree(pid, session.Runtime, session.Maps);
        var outcome = await Recorder.RecordAsync(source, session.Aggregator, exited, recording.Duration, progress, watcher, tree, cancel).ConfigureAwait(false);

        await stopWatching.CancelAsync().ConfigureAwait(false);
        var target = watcher.Describe(exitCode: null);
        string[] ended = outcome.Reason == StopReason.TargetExited ? ["the target exited during the recording: this is what was seen until then"] : [];
        var result = await session.FinishAsync(outcome, (source.Name, backendNotes), target, watcher.StartEnvironment, tree, ended).ConfigureAwait(false);
        return Report(target, result, session, options, rules, gates);
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
        var listener = DiagnosticPortListener.Start();
        await using var session = new RecordingSession(recording.Stacks, RuntimeRecorder.Launch(listener), options.RawOutputs);
        ISyscallSource? source = null;
        IReadOnlyList<string> backendNotes = [];
        using var child = SuspendedLaunch.Start(
            SelfInvocation.Command(SelfInvocation.ExecVerb),
            command,
            pid => (source, backendNotes) = SyscallBackends.AttachBeforeExec(pid, session.Sink, session.Backend(recording)),
            // A .NET command waits at the port until its sessions run; anything else must not (see DotNetCommand).
            program => new Dictionary<string, string>
            {
                [DiagnosticPortListener.PortsVariable] = listener.PortSetting(suspend: DotNetCommand.IsLikely(program)),
            });
        using var _ = source;

        // Events are enabled by the command's execve, so the first one means the process is the command now.
        var watcher = new TargetWatcher(
            child.Id, Path.GetFileName(command[0]), string.Join(' ', command), ready: () => session.Aggregator.EventsTotal > 0, session.Maps);
        var progress = new RecordingProgress($"'{string.Join(' ', command)}'", live: false);
        var tree = new ProcessTree(child.Id, session.Runtime, session.Maps);
        var outcome = await Recorder.RecordAsync(source!, session.Aggregator, child.WaitForExitAsync(CancellationToken.None), recording.Duration, progress, watcher, tree, cancel)
            .ConfigureAwait(false);

        int? exitCode = null;
        string[] stillRunning = [];
        if (outcome.Reason == StopReason.TargetExited || child.WaitForExit(ChildExitGrace))
        {
            exitCode = child.ExitCode;
        }
        else
        {
            stillRunning = [$"recording stopped while the command was still running (pid {child.Id}); it was left running"];
        }

        var target = watcher.Describe(exitCode);
        var result = await session.FinishAsync(outcome, (source!.Name, backendNotes), target, watcher.StartEnvironment, tree, stillRunning).ConfigureAwait(false);
        if (Report(target, result, session, options, rules, gates) is var verdict and not (int)ReturnCode.Ok)
        {
            return verdict;
        }

        // The gate passed, so the command's own failure is what the caller must see.
        return exitCode is { } code and not 0 ? code : (int)ReturnCode.Ok;
    }

    /// <summary>Rules, report, outputs, gates: the same for every recording command.</summary>
    private static int Report(TargetInfo target, RecordingResult result, RecordingSession session, ReportOptions options, RuleCatalog rules, GateSettings gates)
    {
        var report = options.Shape(ReportBuilder.Analyse(AdvisorTool.Info, target, result, rules));
        ReportOutput.Emit(new ReportContext(report, rules, options.Redact) { Snapshot = result.Snapshot, Events = session.Events }, options, ConsoleReport.Render);
        return ReportOutput.GateVerdict(report, gates, options);
    }
}
