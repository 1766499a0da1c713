using Advisor.Cli.CommandLine;
using Advisor.Cli.Commands;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.Linux.Procfs;
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
        EvidenceCollector? collector = null;
        try
        {
            if (settings.Prometheus is { } endpoint)
            {
                exporters.Add(Serve(endpoint));
            }

            var output = Console.Out;
            if (settings.Collect is { } collect)
            {
                collector = new EvidenceCollector(collect, collectDirectory!, collectRules!, rules, recording, output, exporters, settings.Interval);
            }

            var ignored = new HashSet<int>(); // --all: processes that could not be watched, or that a watch follows already
            if (pid is { } one)
            {
                Add(ProcessWatch.Start(one, recording));
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

            var stopped = new TaskCompletionSource();
            await using var registration = cancel.Register(() => stopped.TrySetResult());
            var deadline = recording.Duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;
            long syscalls = 0, lost = 0;
            string why;
            while (true)
            {
                var tick = Task.Delay(settings.Interval, CancellationToken.None);
                Task first;
                while (true)
                {
                    var discovery = pid is null ? Task.Delay(DiscoveryPeriod, CancellationToken.None) : new TaskCompletionSource().Task;
                    var collected = collector?.Finished ?? new TaskCompletionSource().Task;
                    first = await Task.WhenAny([tick, stopped.Task, deadline, discovery, collected, .. watches.Values.Select(w => w.Exited)]).ConfigureAwait(false);
                    if (first == collected)
                    {
                        collector!.Announce();
                        continue;
                    }

                    if (first != discovery)
                    {
                        break;
                    }

                    Discover();
                }

                var ending = first == stopped.Task || first == deadline;
                foreach (var watch in watches.Values.ToList())
                {
                    if (first == tick || ending || watch.Exited.IsCompleted)
                    {
                        var outcome = Publish(watch.Judge(rules, settings.Verbose));
                        if (outcome.Exited)
                        {
                            await Remove(watch, "the process exited").ConfigureAwait(false);
                        }
                    }
                }

                if (ending || (pid is not null && watches.Count == 0))
                {
                    why = first == stopped.Task ? "interrupted" : first == deadline ? "--duration reached" : "the process exited";
                    break;
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

            MonitorLog.Stopped(output, why, syscalls, lost, active);
            return (int)ReturnCode.Ok;

            void Add(ProcessWatch watch)
            {
                watches[watch.Pid] = watch;
                MonitorLog.Started(output, watch.Pid, watch.Name, watch.Backend, settings.Interval, watch.Notes);
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
                    if (ProcTasks.DescendsFrom(process.Pid, watches.Keys.ToHashSet()))
                    {
                        continue; // its parent's watch follows it already
                    }

                    try
                    {
                        Add(ProcessWatch.Start(process.Pid, recording));
                    }
                    catch (AdvisorException e)
                    {
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
