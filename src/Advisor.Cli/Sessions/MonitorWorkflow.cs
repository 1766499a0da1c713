using System.Threading.Channels;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output.Monitor;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Sessions;

/// <summary>
/// <c>monitor</c>: one process, or with <c>--all</c> every .NET process as they come and go, watched without end
/// (<see cref="ProcessWatch"/>). Every interval each watch is judged and what it found goes to every output
/// (<see cref="MonitorOutputs"/>). One loop handles the <see cref="MonitorEvent"/>s that the clocks, the watched
/// processes' exits, discovery and collections post to one channel. Wires stages only.
/// </summary>
internal sealed class MonitorWorkflow
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

    private readonly int? _pid;
    private readonly MonitorSettings _settings;
    private readonly RecordingChoice _recording;
    private readonly RuleCatalog _rules;
    private readonly MonitorExporters _exporters;
    private readonly TextWriter _output = Console.Out; // synchronized: the OTLP exporter's threads write to it too
    private readonly Dictionary<int, ProcessWatch> _watches = new();
    private readonly WatchedProcesses _watched = new();
    private readonly HashSet<int> _ignored = []; // --all: processes seen already that have no watch (it failed, or another run of this tool)
    private readonly Channel<MonitorEvent> _events = Channel.CreateUnbounded<MonitorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _clocks = new();
    private EvidenceCollector? _collector;
    private Task? _collectorHeard;
    private int _interval;
    private long _syscalls;
    private long _lost;

    private MonitorWorkflow(int? pid, MonitorSettings settings, RecordingChoice recording, RuleCatalog rules)
    {
        _pid = pid;
        _settings = settings;
        _recording = recording;
        _rules = rules;
        _exporters = new MonitorExporters(settings.Outputs);
    }

    /// <param name="pid">The process to watch, or null for every .NET process (<c>--all</c>).</param>
    public static async Task<int> RunAsync(int? pid, MonitorSettings settings, RecordingChoice recording, CatalogChoice rulesChoice, CancellationToken cancel)
    {
        recording.Validate();
        var rules = rulesChoice.Load();
        // Checked before anything is attached: a trigger naming no rule, a directory that cannot take the evidence.
        var collectRules = settings.Collect?.Rules(rules);
        var collectDirectory = settings.Collect?.PrepareDirectory();
        var monitor = new MonitorWorkflow(pid, settings, recording, rules);
        try
        {
            monitor._exporters.Open(); // a port in use fails here, before any process is attached
            if (settings.Collect is { } collect)
            {
                monitor._collector = new EvidenceCollector(collect, collectDirectory!, collectRules!, rules, recording, monitor._output, [monitor._exporters], settings.Interval);
            }

            return await monitor.LoopAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> LoopAsync(CancellationToken cancel)
    {
        if (_pid is { } one)
        {
            Add(ProcessWatch.Start(one, _recording, _settings.PoolEvents));
        }
        else
        {
            MonitorLog.WatchingAll(_output, _settings.Interval);
            Discover();
            After(DiscoveryPeriod, new MonitorEvent.DiscoveryDue());
        }

        // Started once attached, and announced after the watches: nothing is judged before, so nothing is missed.
        _exporters.Start(new MonitorOutputContext(_output, _settings.Interval, AdvisorTool.Info.Version));
        await using var registration = cancel.Register(() => _events.Writer.TryWrite(new MonitorEvent.StopAsked("interrupted")));
        if (_recording.Duration is { } duration)
        {
            After(duration, new MonitorEvent.StopAsked("--duration reached"));
        }

        StartInterval();
        string why;
        while (true)
        {
            HearCollector();
            var next = await _events.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            if (await HandleAsync(next).ConfigureAwait(false) is { } ended)
            {
                why = ended;
                break;
            }
        }

        var active = _watches.Values.Sum(w => w.ActiveCount);
        if (_collector is not null)
        {
            await _collector.DisposeAsync().ConfigureAwait(false); // ends a triage or recording under way while the watches hold
            _collector = null;
        }

        foreach (var watch in _watches.Values.ToList())
        {
            await RemoveAsync(watch, why).ConfigureAwait(false);
        }

        _exporters.Dispose(); // the last export, before the last line: its failure is said before "stopped"
        MonitorLog.Stopped(_output, why, _syscalls, _lost, active);
        return (int)ReturnCode.Ok;
    }

    /// <returns>Why the watch ends, when this event ends it; null to go on.</returns>
    private async Task<string?> HandleAsync(MonitorEvent next)
    {
        switch (next)
        {
            case MonitorEvent.DiscoveryDue:
                Discover();
                After(DiscoveryPeriod, next);
                return null;

            case MonitorEvent.CollectionFinished:
                _collector?.Announce(); // what a trigger saved in the background, said on this thread
                return null;

            case MonitorEvent.WindowEnded ended when ended.Interval == _interval:
                await EndWindowsAsync().ConfigureAwait(false);
                await JudgeAsync(w => !w.Judged, ending: false).ConfigureAwait(false);
                return null;

            case MonitorEvent.ProcessExited exited when _watches.ContainsKey(exited.Pid):
                await JudgeAsync(w => w.Exited.IsCompleted, ending: false).ConfigureAwait(false);
                return _pid is not null && _watches.Count == 0 ? "the process exited" : null;

            case MonitorEvent.IntervalEnded ended when ended.Interval == _interval:
                await JudgeAsync(w => w.Exited.IsCompleted || !w.Judged, ending: false).ConfigureAwait(false);
                if (_pid is not null && _watches.Count == 0)
                {
                    return "the process exited";
                }

                foreach (var watch in _watches.Values)
                {
                    watch.Resume();
                }

                StartInterval();
                return null;

            case MonitorEvent.StopAsked stop:
                if (_watches.Values.Any(w => w.CanPause && !w.Judged && !w.Exited.IsCompleted))
                {
                    // A window the stop cuts short is ended as at its end: judged at once, its requests would be
                    // counted from samples taken up to a second before it ended, or none (bench/RESULTS.md).
                    await EndWindowsAsync().ConfigureAwait(false);
                }

                await JudgeAsync(w => w.Exited.IsCompleted || !w.Judged, ending: true).ConfigureAwait(false);
                return stop.Why;

            default:
                return null; // a clock of an interval already over, or the exit of a process no longer watched
        }
    }

    /// <summary>
    /// Starts the next interval's clocks. Each clock posts once and is started again only when it fired: a process's
    /// exit or a discovery must not reset the interval.
    /// </summary>
    private void StartInterval()
    {
        _interval++;
        After(_settings.Interval, new MonitorEvent.IntervalEnded(_interval));
        if (_settings.RecordFor < _settings.Interval)
        {
            After(_settings.RecordFor, new MonitorEvent.WindowEnded(_interval));
        }
    }

    private void After(TimeSpan delay, MonitorEvent posted) => _ = PostAfterAsync(delay, posted);

    private async Task PostAfterAsync(TimeSpan delay, MonitorEvent posted)
    {
        try
        {
            await Task.Delay(delay, _clocks.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the loop is over
        }

        _events.Writer.TryWrite(posted);
    }

    /// <summary>Has the collector's next finished work posted: its signal is a new task after each announcement.</summary>
    private void HearCollector()
    {
        if (_collector?.Finished is { } finished && finished != _collectorHeard)
        {
            _collectorHeard = finished;
            _ = finished.ContinueWith(_ => _events.Writer.TryWrite(new MonitorEvent.CollectionFinished()), TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The recorded part of the interval is over: pause, let the drain deliver what the rings hold, and wait for the
    /// runtime's late samples. A stop meanwhile does not cut the wait short (at most RuntimeGrace): the window is judged
    /// on the way out, and judged early it would count a fraction of its requests.
    /// </summary>
    private async Task EndWindowsAsync()
    {
        foreach (var watch in _watches.Values)
        {
            watch.Pause();
        }

        await Task.Delay(DrainGrace, CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(_watches.Values.Select(w => w.RuntimeCaughtUp)), Task.Delay(RuntimeGrace, CancellationToken.None)).ConfigureAwait(false);
    }

    /// <param name="ending">At a stop the interval in progress ends there: a window the stop paused covers all of it.</param>
    private async Task JudgeAsync(Func<ProcessWatch, bool> due, bool ending)
    {
        foreach (var watch in _watches.Values.Where(due).ToList())
        {
            var outcome = watch.Judge(_rules, _settings.Verbose, ending ? null : _settings.Interval);
            _exporters.Observe(outcome);
            _collector?.Judged(outcome);
            if (outcome.Exited)
            {
                await RemoveAsync(watch, "the process exited").ConfigureAwait(false);
            }
        }
    }

    private void Add(ProcessWatch watch)
    {
        _watches[watch.Pid] = watch;
        MonitorLog.Started(
            _output, watch.Pid, watch.Name, watch.Backend, _settings.Interval, watch.CanPause && _settings.RecordFor < _settings.Interval ? _settings.RecordFor : null, watch.Notes);
        _ = watch.Exited.ContinueWith(_ => _events.Writer.TryWrite(new MonitorEvent.ProcessExited(watch.Pid)), TaskScheduler.Default);
    }

    private void Discover()
    {
        foreach (var process in DotNetProcesses.List())
        {
            if (_watches.ContainsKey(process.Pid) || _ignored.Contains(process.Pid))
            {
                continue;
            }

            _ignored.Add(process.Pid); // once: a watch that fails is not retried every second
            if (process.AppName == AdvisorTool.Info.Name)
            {
                continue; // another run of this tool: watching it watch would be noise
            }

            _watched.Add(process.Pid); // before its attach: a parent's backend may see its first calls
            try
            {
                Add(ProcessWatch.Start(process.Pid, _recording, _settings.PoolEvents, _watched));
            }
            catch (AdvisorException e)
            {
                _watched.Remove(process.Pid);
                MonitorLog.NotWatching(_output, process.Pid, process.AppName, e.Message);
            }
        }

        _ignored.RemoveWhere(p => !ProcTasks.ProcessExists(p)); // pids are reused
    }

    private async Task RemoveAsync(ProcessWatch watch, string reason)
    {
        _watches.Remove(watch.Pid);
        _watched.Remove(watch.Pid);
        await watch.DisposeAsync().ConfigureAwait(false);
        _syscalls += watch.EventsTotal;
        _lost += watch.LostEvents;
        if (_pid is null)
        {
            MonitorLog.Gone(_output, watch.Pid, watch.Name, reason, watch.EventsTotal, watch.LostEvents);
        }
    }

    /// <summary>A failure mid-watch still detaches from every process and ends every output.</summary>
    private async Task DisposeAsync()
    {
        await _clocks.CancelAsync().ConfigureAwait(false);
        if (_collector is not null)
        {
            await _collector.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var watch in _watches.Values)
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }

        _exporters.Dispose();
        _clocks.Dispose();
    }
}
