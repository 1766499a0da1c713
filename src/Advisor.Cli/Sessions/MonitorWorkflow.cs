using Advisor.Cli.CommandLine;
using Advisor.Cli.Commands;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.Linux.Procfs;
using Advisor.Reports.Otlp;
using Advisor.Reports.Prometheus;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>monitor</c>: one process, or with <c>--all</c> every .NET process as they come and go, watched without end
/// (<see cref="ProcessWatch"/>). Every interval each watch is judged and what it found goes to the log and to every
/// exporter. Wires stages only.
/// </summary>
internal static class MonitorWorkflow
{
    /// <summary>How often <c>--all</c> looks for .NET processes that started.</summary>
    private static readonly TimeSpan DiscoveryPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long after pausing the backends deliver what their rings still hold (they drain every 10 ms).</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long after pausing a window's judgment waits, at most, for the runtime to catch up: a server's request
    /// samples come every half second and EventPipe hands them over late (<see cref="ProcessWatch.RuntimeCaughtUp"/>).
    /// </summary>
    private static readonly TimeSpan RuntimeGrace = TimeSpan.FromSeconds(1.5);

    /// <param name="pid">The process to watch, or null for every .NET process (<c>--all</c>).</param>
    public static async Task<int> RunAsync(int? pid, MonitorSettings settings, RecordingChoice recording, CatalogChoice rulesChoice, CancellationToken cancel)
    {
        recording.Validate();
        var rules = rulesChoice.Load();
        // Checked before anything is attached: a trigger naming no rule, a directory that cannot take the evidence.
        var collectRules = settings.Collect?.Rules(rules);
        var collectDirectory = settings.Collect?.PrepareDirectory();
        List<IMonitorExporter> exporters = [];
        var watches = new Dictionary<int, ProcessWatch>();
        var watched = new WatchedProcesses();
        EvidenceCollector? collector = null;
        var output = Console.Out; // synchronized: the OTLP exporter's threads write to it too
        try
        {
            if (settings.Prometheus is { } endpoint)
            {
                exporters.Add(Serve(endpoint));
            }

            if (settings.Collect is { } collect)
            {
                collector = new EvidenceCollector(collect, collectDirectory!, collectRules!, rules, recording, output, exporters, settings.Interval);
            }

            var ignored = new HashSet<int>(); // --all: processes seen already that have no watch (it failed, or another run of this tool)
            if (pid is { } one)
            {
                Add(ProcessWatch.Start(one, recording, settings.PoolEvents));
            }
            else
            {
                MonitorLog.WatchingAll(output, settings.Interval);
                Discover();
            }

            if (settings.Prometheus is { } served)
            {
                MonitorLog.Serving(output, $"http://{served.Address}:{served.Port}/metrics");
            }

            if (settings.Otlp is { } otlp)
            {
                // Started once attached, and announced first: a collector that refuses says so after this line, not
                // before the watch's. Nothing is judged before, so nothing is missed.
                MonitorLog.Sending(output, otlp);
                exporters.Add(MonitorOtlp.Start(new MonitorOtlpSettings(
                    otlp, settings.Interval, AdvisorTool.Info.Version, f => f.Stacks.Count > 0 ? CallPath.Of(f.Stacks[0]) : null, change => MonitorLog.Export(output, change))));
            }

            var stopped = new TaskCompletionSource();
            await using var registration = cancel.Register(() => stopped.TrySetResult());
            var deadline = recording.Duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;
            long syscalls = 0, lost = 0;
            string why;
            // Each clock is restarted only when it fired: a process's exit or a discovery must not reset the
            // interval, and with --interval 1s a discovery clock restarted with each interval would never fire.
            var never = new TaskCompletionSource().Task;
            var discovery = NextDiscovery();
            var tick = Task.Delay(settings.Interval, CancellationToken.None);
            var windowEnd = WindowEnd();
            while (true)
            {
                var collected = collector?.Finished ?? never;
                var first = await Task.WhenAny([tick, windowEnd, stopped.Task, deadline, discovery, collected, .. watches.Values.Select(w => w.Exited)]).ConfigureAwait(false);
                if (first == discovery)
                {
                    Discover();
                    discovery = NextDiscovery();
                    continue;
                }

                if (first == collected)
                {
                    collector!.Announce(); // what a trigger saved in the background, said on this thread
                    continue;
                }

                if (first == windowEnd)
                {
                    await EndWindows().ConfigureAwait(false);
                    await JudgeAll(w => !w.Judged).ConfigureAwait(false);
                    windowEnd = never;
                    continue;
                }

                var ending = first == stopped.Task || first == deadline;
                if (ending && watches.Values.Any(w => w.CanPause && !w.Judged && !w.Exited.IsCompleted))
                {
                    // A window the stop cuts short is ended as at its end: judged at once, its requests would be
                    // counted from samples taken up to a second before it ended, or none (bench/RESULTS.md).
                    await EndWindows().ConfigureAwait(false);
                }

                await JudgeAll(w => w.Exited.IsCompleted || (!w.Judged && (first == tick || ending)), ending).ConfigureAwait(false);
                if (ending || (pid is not null && watches.Count == 0))
                {
                    why = first == stopped.Task ? "interrupted" : first == deadline ? "--duration reached" : "the process exited";
                    break;
                }

                if (first == tick)
                {
                    foreach (var watch in watches.Values)
                    {
                        watch.Resume();
                    }

                    tick = Task.Delay(settings.Interval, CancellationToken.None);
                    windowEnd = WindowEnd();
                }
            }

            var active = watches.Values.Sum(w => w.ActiveCount);
            if (collector is not null)
            {
                await collector.DisposeAsync().ConfigureAwait(false); // ends a triage or recording under way while the watches hold
                collector = null;
            }

            foreach (var watch in watches.Values.ToList())
            {
                await Remove(watch, why).ConfigureAwait(false);
            }

            foreach (var exporter in exporters)
            {
                exporter.Dispose(); // the last export, before the last line: its failure is said before "stopped"
            }

            exporters.Clear();

            MonitorLog.Stopped(output, why, syscalls, lost, active);
            return (int)ReturnCode.Ok;

            // The recorded part of the interval is over: pause, let the drain deliver what the rings hold, and wait
            // for the runtime's late samples. A stop meanwhile does not cut the wait short (at most RuntimeGrace): the
            // window is judged on the way out, and judged early it would count a fraction of its requests.
            async Task EndWindows()
            {
                foreach (var watch in watches.Values)
                {
                    watch.Pause();
                }

                await Task.Delay(DrainGrace, CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAny(Task.WhenAll(watches.Values.Select(w => w.RuntimeCaughtUp)), Task.Delay(RuntimeGrace, CancellationToken.None)).ConfigureAwait(false);
            }

            Task WindowEnd() => settings.RecordFor < settings.Interval ? Task.Delay(settings.RecordFor, CancellationToken.None) : never;

            // At a stop the interval in progress ends there: a window the stop paused covers all of it.
            async Task JudgeAll(Func<ProcessWatch, bool> due, bool ending = false)
            {
                foreach (var watch in watches.Values.Where(due).ToList())
                {
                    var outcome = Publish(watch.Judge(rules, settings.Verbose, ending ? null : settings.Interval));
                    if (outcome.Exited)
                    {
                        await Remove(watch, "the process exited").ConfigureAwait(false);
                    }
                }
            }

            Task NextDiscovery() => pid is null ? Task.Delay(DiscoveryPeriod, CancellationToken.None) : new TaskCompletionSource().Task;

            void Add(ProcessWatch watch)
            {
                watches[watch.Pid] = watch;
                MonitorLog.Started(
                    output, watch.Pid, watch.Name, watch.Backend, settings.Interval, watch.CanPause && settings.RecordFor < settings.Interval ? settings.RecordFor : null, watch.Notes);
            }

            void Discover()
            {
                foreach (var process in DotNetProcesses.List())
                {
                    if (watches.ContainsKey(process.Pid) || ignored.Contains(process.Pid))
                    {
                        continue;
                    }

                    ignored.Add(process.Pid); // once: a watch that fails is not retried every second
                    if (process.AppName == AdvisorTool.Info.Name)
                    {
                        continue; // another run of this tool: watching it watch would be noise
                    }

                    watched.Add(process.Pid); // before its attach: a parent's backend may see its first calls
                    try
                    {
                        Add(ProcessWatch.Start(process.Pid, recording, settings.PoolEvents, watched));
                    }
                    catch (AdvisorException e)
                    {
                        watched.Remove(process.Pid);
                        MonitorLog.NotWatching(output, process.Pid, process.AppName, e.Message);
                    }
                }

                ignored.RemoveWhere(p => !ProcTasks.ProcessExists(p)); // pids are reused
            }

            IntervalOutcome Publish(IntervalOutcome outcome)
            {
                foreach (var change in outcome.Changes)
                {
                    MonitorLog.Changed(output, change);
                }

                foreach (var exporter in exporters)
                {
                    exporter.Observe(outcome);
                }

                collector?.Judged(outcome);
                return outcome;
            }

            async Task Remove(ProcessWatch watch, string reason)
            {
                watches.Remove(watch.Pid);
                watched.Remove(watch.Pid);
                await watch.DisposeAsync().ConfigureAwait(false);
                syscalls += watch.EventsTotal;
                lost += watch.LostEvents;
                if (pid is null)
                {
                    MonitorLog.Gone(output, watch.Pid, watch.Name, reason, watch.EventsTotal, watch.LostEvents);
                }
            }
        }
        finally
        {
            if (collector is not null)
            {
                await collector.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var watch in watches.Values)
            {
                await watch.DisposeAsync().ConfigureAwait(false); // a failure mid-watch still detaches from every process
            }

            foreach (var exporter in exporters)
            {
                exporter.Dispose();
            }
        }
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
