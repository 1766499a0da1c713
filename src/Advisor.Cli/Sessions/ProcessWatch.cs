using Advisor.Cli.CommandLine;
using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Core.Processes;
using Advisor.Core.Rules;
using Advisor.Core.Runtime;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Linux.Backends;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;

namespace Advisor.Cli.Sessions;

/// <summary>
/// One process under <c>monitor</c>: its backend delivers into one interval's aggregation at a time
/// (<see cref="IntervalAggregation"/>); <see cref="Judge"/> joins the finished interval's calls with their named
/// stacks, runs the rules and says what was raised and what cleared (<see cref="ActiveFindings"/>). Wires stages only.
/// </summary>
/// <remarks>
/// The runtime sessions ask for what the rules read (<see cref="RuntimeParts"/>: the thread pool's events only with
/// <c>--pool-events</c>), and their events are judged with the interval's calls
/// (<see cref="IntervalRuntimeAggregation"/>): lock contention, and with those events pool starvation, are raised as in a recording.
/// </remarks>
internal sealed class ProcessWatch : IAsyncDisposable
{
    /// <summary>
    /// A quarter of profile's rings: a watch records short windows, each process watched has its own, and the ring's
    /// pages count twice in the tool's RSS (bench/RESULTS.md, "Where monitor's memory goes"). 4 MiB still holds about
    /// 58,000 calls, some 60 ms of a 1M calls/s storm between drains 10 ms apart.
    /// </summary>
    private const ulong RingBytes = 4UL << 20;

    private readonly IntervalAggregation _intervals;
    private readonly IntervalRuntimeAggregation _runtimeIntervals;
    private readonly ISyscallSource _source;
    private readonly RuntimeRecorder _runtime;
    private readonly MapsHistory _maps;
    private readonly StackTable? _stacks;
    private readonly StackSymbolizer _symbolizer;
    private readonly IReadOnlyDictionary<int, TracedProcess> _processes;
    private readonly bool _isDotNet;
    private readonly ActiveFindings _active = new();
    private bool _stopped;
    private long? _pausedAtNs;

    private ProcessWatch(
        int pid,
        string name,
        IntervalAggregation intervals,
        IntervalRuntimeAggregation runtimeIntervals,
        ISyscallSource source,
        RuntimeRecorder runtime,
        MapsHistory maps,
        StackTable? stacks,
        IReadOnlyDictionary<int, TracedProcess> processes,
        bool isDotNet,
        IReadOnlyList<string> notes)
    {
        Pid = pid;
        Name = name;
        _intervals = intervals;
        _runtimeIntervals = runtimeIntervals;
        _source = source;
        _runtime = runtime;
        _maps = maps;
        _stacks = stacks;
        _processes = processes;
        _isDotNet = isDotNet;
        Notes = notes;
        _symbolizer = new StackSymbolizer(runtime.Methods, maps, pid);
        Exited = ProcTasks.WaitForExitAsync(pid, CancellationToken.None);
    }

    public int Pid { get; }

    /// <summary>What the process runs ("MyService", not "dotnet").</summary>
    public string Name { get; }

    /// <summary>The backend's own notes and what the watch could not do, said once at its start.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The backend that records the process.</summary>
    public string Backend => _source.Name;

    /// <summary>Completes when the process exits.</summary>
    public Task Exited { get; }

    public long EventsTotal => _intervals.EventsTotal;

    public long LostEvents => _intervals.LostEvents;

    public int ActiveCount => _active.Current.Count;

    /// <summary>Judged since its backend last started recording: nothing new to judge until it records again.</summary>
    public bool Judged { get; private set; }

    /// <summary>Whether its backend can pause between recorded windows (bpf, perf).</summary>
    public bool CanPause => _source is IPausableSource;

    /// <summary>Stops recording new calls until <see cref="Resume"/>, where the backend can (bpf, perf); the others keep recording.</summary>
    public void Pause()
    {
        if (_source is IPausableSource pausable && _pausedAtNs is null)
        {
            pausable.Pause();
            _pausedAtNs = MonotonicClock.NowNs();
            _runtimeIntervals.End(_pausedAtNs.Value);
        }
    }

    /// <summary>
    /// Completes when the runtime has said what it needs to of the window paused: for a server, a request sample
    /// stamped after the pause, which EventPipe delivers late (<see cref="IntervalRuntimeAggregation"/>).
    /// </summary>
    public Task RuntimeCaughtUp => _runtimeIntervals.SampledPastEnd;

    /// <summary>Records again, from a fresh interval: what completed while paused (calls started before) is dropped.</summary>
    public void Resume()
    {
        Judged = false;
        if (_source is IPausableSource pausable && _pausedAtNs is not null)
        {
            var now = MonotonicClock.NowNs();
            _intervals.Rotate(now);
            _runtimeIntervals.Rotate(now);
            pausable.Resume();
            _pausedAtNs = null;
        }
    }

    /// <summary>Attaches the backend and the runtime session to a running process.</summary>
    /// <param name="poolEvents">Whether the runtime is also asked for the thread pool's events (see <see cref="RuntimeParts"/>).</param>
    /// <param name="others">Under --all, the processes watched: calls of another one with a watch of its own are left to it.</param>
    /// <exception cref="AdvisorException">The process is gone, or no backend may trace it.</exception>
    public static ProcessWatch Start(int pid, RecordingChoice recording, bool poolEvents, WatchedProcesses? others = null)
    {
        var identity = ProcessIdentity.Read(pid)
            ?? throw new AdvisorException(FailureKind.Target, $"no process with id {pid} (see `dotnet-advisor ps`)");
        var isDotNet = RuntimeProbe.RuntimeVersion(pid) is not null;
        var catalog = new SyscallCatalog(LinuxTables.Current, LinuxTables.CurrentErrno);
        var introspector = new ProcfsIntrospector();
        var stacks = recording.Stacks ? new StackTable() : null;
        var intervals = new IntervalAggregation(origin => new SyscallAggregator(catalog, introspector, origin), MonotonicClock.NowNs());
        IntervalRuntimeAggregation? runtimeIntervals = null;
        var runtime = isDotNet
            ? RuntimeRecorder.Attach(pid, RuntimeParts(poolEvents), events => runtimeIntervals = new IntervalRuntimeAggregation(events))
            : RuntimeRecorder.None();
        runtimeIntervals ??= new IntervalRuntimeAggregation(runtime.Events);
        try
        {
            List<string> notes = [];
            if (isDotNet && !RuntimeRecorder.NameCompiledMethods(pid, runtime.Methods))
            {
                notes.Add("the runtime did not list the methods it compiled before the watch: their frames stay unnamed");
            }

            var maps = new MapsHistory();
            var (source, backendNotes) = SyscallBackends.Attach(pid, others is null ? intervals : new OwnCallsOnly(pid, others, intervals), new BackendRequest(recording.Backend, stacks, recording.SampleRateHz, recording.StackMode, RingBytes));
            var tree = new ProcessTree(pid, runtime, maps);
            tree.Saw(pid);
            var processes = tree.Describe();
            var name = processes.GetValueOrDefault(pid)?.Name ?? identity.Name;
            return new ProcessWatch(pid, name, intervals, runtimeIntervals, source, runtime, maps, stacks, processes, isDotNet, [.. backendNotes, .. notes]);
        }
        catch
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// What <c>monitor</c> asks the runtime for: what its rules read, as the runtime's sessions cannot pause between
    /// windows. Not the GC's and exceptions' events, which only a report's summary shows (a collected recording is a
    /// <c>profile</c> of its own and has them): one session fewer in the target, which wrote a busy service's GCs (8
    /// a second, some 150 events) for nothing (bench/RESULTS.md, "What the sessions cost between windows").
    /// Not the thread pool's own events unless asked: a busy service's workers park and wake per request, and each
    /// writes one. Without them ADV005 is not judged.
    /// </summary>
    internal static RuntimeEventParts RuntimeParts(bool poolEvents)
    {
        var read = RuntimeEventParts.Default & ~(RuntimeEventParts.Gc | RuntimeEventParts.Exceptions);
        return poolEvents ? read : read & ~RuntimeEventParts.ThreadPool;
    }

    /// <summary>Ends the interval in progress and judges it.</summary>
    /// <param name="rules">The rules in force.</param>
    /// <param name="verbose">Whether info findings count.</param>
    /// <param name="interval">
    /// How long an interval lasts, of which a paused watch recorded a part; null when the interval ends with the watch
    /// (a stop), which paused it there: it then recorded all of the interval there was.
    /// </param>
    public IntervalOutcome Judge(RuleCatalog rules, bool verbose, TimeSpan? interval)
    {
        var gone = Exited.IsCompleted || !ProcTasks.ProcessExists(Pid);
        if (!gone)
        {
            _maps.Capture(Pid);
            _symbolizer.RereadMappings();
        }

        // A paused watch's interval ends when it paused: its rates are over the time it recorded.
        var syscalls = _intervals.Rotate(_pausedAtNs ?? MonotonicClock.NowNs());
        Judged = true;
        var (runtime, runtimeStacks) = _runtimeIntervals.Rotate(_pausedAtNs ?? MonotonicClock.NowNs());
        var snapshot = Correlator.Join(syscalls, _stacks ?? new StackTable(), runtime, runtimeStacks, _symbolizer) with { Processes = _processes };
        var findings = RuleEngine.Run(rules, snapshot)
            .Where(f => verbose || f.Severity > Severity.Info)
            .ToList();
        if (_pausedAtNs is not null)
        {
            _stacks?.Clear(); // judged, paused and drained: the next window interns its own (perf's, never paused, stop at the table's cap)
        }

        var at = DateTimeOffset.UtcNow;
        var changes = gone ? [.. _active.Update(findings, at), .. _active.ClearAll(at)] : _active.Update(findings, at);
        return new IntervalOutcome(
            Pid, Name, syscalls, [.. _active.Current.Select(a => a.Finding)], changes, Environment.CpuUsage.TotalTime.TotalSeconds, gone,
            Coverage(syscalls.DurationSeconds, _pausedAtNs is null ? null : interval));
    }

    /// <summary>
    /// The share of an interval recorded, by which exported counters are scaled to the whole interval: 1 for an
    /// interval recorded throughout (never paused, or paused where it ended, by a stop).
    /// </summary>
    internal static double Coverage(double recordedSeconds, TimeSpan? interval) =>
        interval is { } length ? Math.Clamp(recordedSeconds / length.TotalSeconds, 1e-3, 1) : 1;

    /// <summary>Detaches: the backend first, then the runtime session, each ended as it would be at a recording's end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var statistics = _source.Stop();
        await _runtime.StopAsync(targetExited: !ProcTasks.ProcessExists(Pid), _isDotNet).ConfigureAwait(false);
        await statistics.Tracer.ConfigureAwait(false); // the backend's own measurement, ended before it detaches
        _source.Dispose();
        await _runtime.DisposeAsync().ConfigureAwait(false);
    }
}
