using System.Globalization;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Hang;
using Advisor.Core.Hang.Verdicts;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Syscalls;
using Advisor.Core.Threads;
using Advisor.Linux.Procfs;
using Advisor.Linux.Safety;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Inspection;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>hang -p PID</c>: watch every thread from /proc over a short window, read the runtime's threads and
/// locks once (ClrMD, a fraction of a second paused), join them, name the verdict, report. Wires stages only.
/// </summary>
internal static class HangTriage
{
    public static async Task<int> RunAsync(int pid, TimeSpan window, ReportOptions options, CancellationToken cancel)
    {
        options.Validate();
        ReportOutput.Require(options, ExporterInput.Report, "hang");
        var rules = options.LoadRules();
        var gates = options.LoadGates();
        var report = options.Shape(await TriageAsync(pid, window, rules, cancel).ConfigureAwait(false));
        ReportOutput.Emit(new ReportContext(report, rules, options.Redact), options, HangConsoleReport.Render);
        return ReportOutput.GateVerdict(report, gates, options);
    }

    /// <summary>
    /// The triage itself, printing nothing: what <c>hang</c> reports, and what <c>monitor --collect-on hang</c> saves.
    /// </summary>
    /// <param name="cancel">Ends the observation window early; the triage goes on with what was seen.</param>
    /// <exception cref="AdvisorException">The process is gone, or its threads cannot be read.</exception>
    public static async Task<AdvisorReport> TriageAsync(int pid, TimeSpan window, Core.Rules.RuleCatalog rules, CancellationToken cancel)
    {
        var identity = ProcessIdentity.Read(pid)
            ?? throw new AdvisorException(FailureKind.Target, $"no process with id {pid} (see `dotnet-advisor ps`)");
        var runtimeVersion = RuntimeProbe.RuntimeVersion(pid);

        var first = ThreadObserver.Observe(pid);
        if (first.Count == 0)
        {
            throw new AdvisorException(FailureKind.Target, $"cannot read the threads of process {pid}: it exited, or /proc/{pid}/task is not readable");
        }

        try
        {
            await Task.Delay(window, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C during the window: triage what was seen so far, as a recording does.
        }

        var last = ThreadObserver.Observe(pid);
        // Blocked times compare with the threads' last-ran times, which are on the scheduler's clock.
        var lastAtNs = ThreadObserver.SchedulerNowNs() ?? MonotonicClock.NowNs();
        var windowMs = window.TotalMilliseconds;
        var notes = new List<string>();
        if (!ThreadObserver.CanReadSyscalls(pid))
        {
            notes.Add($"cannot read /proc/{pid}/task/*/syscall (it needs ptrace access: run as the process's user or root, or with CAP_SYS_PTRACE): blocked syscalls are unknown");
        }

        if (last.Count == 0)
        {
            throw new AdvisorException(FailureKind.Target, $"process {pid} exited during the triage");
        }

        var runtime = runtimeVersion is null ? null : Inspect(pid, notes);
        if (runtimeVersion is null)
        {
            notes.Add("not a .NET process: threads and syscalls from /proc only, no managed stacks or locks");
        }

        var catalog = new SyscallCatalog(LinuxTables.Current, LinuxTables.CurrentErrno);
        var threads = HangThreads.Join(pid, first, last, lastAtNs, windowMs, catalog, new ProcfsIntrospector(), runtime);
        var snapshot = new HangSnapshot(pid, identity.Name, identity.CommandLine, windowMs, threads, runtime, notes)
        {
            // Which connection a thread waiting for a server's answer waits on, when its frames do not say.
            Sockets = ProcessSockets.Read(pid),
        };
        var target = new TargetInfo(pid, identity.Name, identity.CommandLine, runtimeVersion, runtimeVersion is not null);
        return HangReportBuilder.Build(AdvisorTool.Info, target, snapshot, HangVerdicts.Analyse(snapshot, rules));
    }

    /// <summary>
    /// Reads the runtime with the process paused, and makes sure it is not left stopped: if the pause
    /// outlived the inspection (a failure half-way), the process is continued.
    /// </summary>
    private static RuntimeState? Inspect(int pid, List<string> notes)
    {
        var stoppedBefore = ThreadObserver.AnyStopped(pid);

        // Should the tool be killed (SIGKILL) during the pause, the guard, a process of its own, continues the
        // target; this finally block would never run.
        using var guard = stoppedBefore ? null : ResumeGuard.Start(SelfInvocation.Command(SelfInvocation.ResumeGuardVerb), pid);
        try
        {
            return RuntimeInspector.Inspect(pid);
        }
        catch (RuntimeUnavailableException e)
        {
            notes.Add($"{e.Message}: no managed stacks or locks");
            return null;
        }
        finally
        {
            if (!stoppedBefore && ThreadObserver.AnyStopped(pid))
            {
                ProcTasks.Continue(pid);
                notes.Add("the process was left stopped after reading its runtime and was continued");
            }
        }
    }
}
