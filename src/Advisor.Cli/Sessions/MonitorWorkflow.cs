using Advisor.Cli.CommandLine;
using Advisor.Cli.Commands;
using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Linux.Backends;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Reports.Prometheus;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>monitor</c>: one process watched without end. The source delivers into one interval's aggregation at a
/// time (<see cref="IntervalAggregation"/>); at each interval's end its calls are joined with their named stacks,
/// the rules run over them, and <see cref="ActiveFindings"/> says what was raised and what cleared. Wires stages only.
/// </summary>
/// <remarks>
/// The runtime session is kept for its method map, which names the frames JIT'd while watched. Its events are
/// not judged per interval yet: the rules drawn from them (lock contention, pool starvation) stay silent here.
/// </remarks>
internal static class MonitorWorkflow
{
    public static async Task<int> RunAsync(int pid, MonitorSettings settings, RecordingChoice recording, CatalogChoice rulesChoice, CancellationToken cancel)
    {
        recording.Validate();
        var rules = rulesChoice.Load();
        using var metrics = settings.Prometheus is { } endpoint ? Serve(endpoint) : null;
        var identity = ProcessIdentity.Read(pid)
            ?? throw new AdvisorException(FailureKind.Target, $"no process with id {pid} (see `dotnet-advisor ps`)");
        var isDotNet = RuntimeProbe.RuntimeVersion(pid) is not null;

        var catalog = new SyscallCatalog(LinuxTables.Current, LinuxTables.CurrentErrno);
        var introspector = new ProcfsIntrospector();
        var stacks = recording.Stacks ? new StackTable() : null;
        var intervals = new IntervalAggregation(origin => new SyscallAggregator(catalog, introspector, origin), MonotonicClock.NowNs());
        await using var runtime = isDotNet ? RuntimeRecorder.Attach(pid) : RuntimeRecorder.None();
        List<string> notes = [];
        if (isDotNet && !RuntimeRecorder.NameCompiledMethods(pid, runtime.Methods))
        {
            notes.Add("the runtime did not list the methods it compiled before the watch: their frames stay unnamed");
        }

        var maps = new MapsHistory();
        var (source, backendNotes) = SyscallBackends.Attach(pid, intervals, new BackendRequest(recording.Backend, stacks, recording.SampleRateHz, recording.StackMode));
        using var attached = source;
        var output = Console.Out;
        var tree = new ProcessTree(pid, runtime, maps);
        tree.Saw(pid);
        var processes = tree.Describe(); // the target by what it runs ("MyService", not "dotnet")
        var name = processes.GetValueOrDefault(pid)?.Name ?? identity.Name;
        MonitorLog.Started(output, pid, name, source.Name, settings.Interval, backendNotes.Concat(notes));
        if (settings.Prometheus is { } served)
        {
            MonitorLog.Serving(output, $"http://{served.Address}:{served.Port}/metrics");
        }

        using var stopWatching = new CancellationTokenSource();
        var exited = ProcTasks.WaitForExitAsync(pid, stopWatching.Token);
        var stopped = new TaskCompletionSource();
        await using var registration = cancel.Register(() => stopped.TrySetResult());
        var deadline = recording.Duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;
        var symbolizer = new StackSymbolizer(runtime.Methods, maps, pid);
        var active = new ActiveFindings();
        string why;
        while (true)
        {
            var tick = Task.Delay(settings.Interval, CancellationToken.None);
            var first = await Task.WhenAny(tick, exited, stopped.Task, deadline).ConfigureAwait(false);
            var gone = first == exited || !ProcTasks.ProcessExists(pid);
            if (!gone)
            {
                maps.Capture(pid);
            }

            var syscalls = intervals.Rotate(MonotonicClock.NowNs());
            var snapshot = Correlator.Join(syscalls, stacks ?? new StackTable(), RuntimeSnapshot.None, new StackTable(), symbolizer) with { Processes = processes };
            var findings = RuleEngine.Run(rules, snapshot)
                .Where(f => settings.Verbose || f.Severity > Severity.Info)
                .ToList();
            var changes = active.Update(findings, DateTimeOffset.UtcNow, gone ? new HashSet<int>() : null);
            foreach (var change in changes)
            {
                MonitorLog.Changed(output, change);
            }

            metrics?.Observe(
                pid,
                name,
                syscalls,
                active.Current.Select(a => a.Finding),
                changes.Where(c => c.Change == FindingChange.Cleared).Select(c => c.Finding),
                Environment.CpuUsage.TotalTime.TotalSeconds);

            if (first != tick || gone)
            {
                why = gone ? "the process exited" : first == deadline ? "--duration reached" : "interrupted";
                break;
            }
        }

        await stopWatching.CancelAsync().ConfigureAwait(false);
        var statistics = source.Stop();
        await runtime.StopAsync(targetExited: !ProcTasks.ProcessExists(pid), isDotNet).ConfigureAwait(false);
        await statistics.Tracer.ConfigureAwait(false); // the backend's own measurement, ended before it detaches
        MonitorLog.Stopped(output, why, intervals.EventsTotal, intervals.LostEvents, active.Current.Count);
        return (int)ReturnCode.Ok;
    }

    /// <exception cref="AdvisorException">The address cannot be bound (exit 2): a port in use, an address not this host's.</exception>
    private static MonitorMetrics Serve((string Address, int Port) endpoint)
    {
        try
        {
            return MonitorMetrics.Serve(endpoint.Address, endpoint.Port);
        }
        catch (System.Net.HttpListenerException e)
        {
            throw new AdvisorException(FailureKind.Usage, $"--prometheus: cannot listen on {endpoint.Address}:{endpoint.Port}: {e.Message} (is the port in use?)");
        }
    }
}
