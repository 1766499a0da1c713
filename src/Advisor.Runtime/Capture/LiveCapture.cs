using System.Diagnostics;
using System.Globalization;
using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Monitoring;
using Advisor.Core.Recording;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Linux.Backends;
using Advisor.Linux.Launch;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.Discovery;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Launch;
using Advisor.Runtime.Symbols;

namespace Advisor.Runtime.Capture;

/// <summary>
/// One target's live recording, every part of it: the syscall source and the aggregation it delivers into, the
/// stack table, the runtime sessions, the process maps and tree, and the join that names stacks and attaches the
/// runtime's events. It hands back an <see cref="AggregateSnapshot"/> per window: a recording (profile, run, demo)
/// takes one when it stops (<see cref="RecordAsync"/>, <see cref="FinishAsync"/>); a watch (monitor) one per
/// interval (<see cref="TakeWindow"/>).
/// </summary>
public sealed partial class LiveCapture : IAsyncDisposable
{
    /// <summary>How long a launched command may take to exit once its recording stopped, before it is left running.</summary>
    private static readonly TimeSpan ChildExitGrace = TimeSpan.FromSeconds(2);

    private readonly int _pid;
    private readonly bool _isDotNet;
    private readonly StackTable? _stacks;
    private readonly RuntimeSessions _runtime;
    private readonly MapsHistory _maps;
    private readonly ISyscallSource _source;
    private readonly IReadOnlyList<string> _notes;
    private readonly ProcessTree _tree;
    private readonly TargetWatcher _watcher;
    private readonly CaptureWindows _windows;
    private readonly Process? _child;
    private readonly CancellationTokenSource _stopWatching = new();
    private SyscallSnapshot? _recorded;
    private SourceStatistics? _statistics;
    private bool _stopped;
    private bool _disposed;

    private LiveCapture(
        int pid,
        bool isDotNet,
        StackTable? stacks,
        RuntimeSessions runtime,
        MapsHistory maps,
        (ISyscallSource Source, IReadOnlyList<string> Notes) backend,
        ProcessTree tree,
        TargetWatcher watcher,
        CaptureWindows windows,
        Process? child)
    {
        _pid = pid;
        _isDotNet = isDotNet;
        _stacks = stacks;
        _runtime = runtime;
        _maps = maps;
        (_source, _notes) = backend;
        _tree = tree;
        _watcher = watcher;
        _windows = windows;
        _child = child;
        Exited = child?.WaitForExitAsync(CancellationToken.None)
            ?? ProcTasks.WaitForExitAsync(pid, windows.Rotating is null ? _stopWatching.Token : CancellationToken.None);
    }

    /// <summary>The target's process id (a launched command's, once started).</summary>
    public int Pid => _pid;

    /// <summary>The backend that records.</summary>
    public string Backend => _source.Name;

    /// <summary>What the backend said when it was chosen (a better one passed over), and what a watch could not do.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Completes when the target exits.</summary>
    public Task Exited { get; }

    public long EventsTotal => _windows.EventsTotal;

    public long LostEvents => _windows.LostEvents;

    /// <summary>Attaches to a running process, to record it until <see cref="RecordAsync"/> stops (profile).</summary>
    /// <exception cref="AdvisorException">The process is gone, or no backend may trace it.</exception>
    public static LiveCapture Attach(int pid, CaptureRequest request)
    {
        var identity = Identify(pid);
        var isDotNet = RuntimeProbe.RuntimeVersion(pid) is not null;

        // The runtime sessions start first: attaching the backend is what the user waits for, and the sessions'
        // start-up then stays out of the recording.
        var runtime = isDotNet ? RuntimeSessions.Attach(pid) : RuntimeSessions.None();
        var stacks = request.StackMode == StackMode.None ? null : new StackTable();
        var windows = CaptureWindows.Whole(request.KeepEventsFor);
        var maps = new MapsHistory();
        try
        {
            var watcher = new TargetWatcher(pid, identity.Name, identity.CommandLine, ready: () => true, maps);
            var backend = SyscallBackends.Attach(pid, windows.Sink, BackendOf(request, stacks));
            windows.ReadFdsOpenAtStart(pid);
            return new LiveCapture(pid, isDotNet, stacks, runtime, maps, backend, new ProcessTree(pid, runtime, maps), watcher, windows, child: null);
        }
        catch
        {
            windows.Dispose();
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Launches a command suspended, armed before its execve so it is seen from its first call, its runtime served
    /// through a diagnostic port before any managed code runs (run, demo).
    /// </summary>
    /// <param name="trampoline">The tool's own command that stops before exec'ing the command.</param>
    public static LiveCapture Launch(IReadOnlyList<string> trampoline, IReadOnlyList<string> command, CaptureRequest request)
    {
        var listener = DiagnosticPortListener.Start();
        var runtime = RuntimeSessions.Launch(listener);
        var stacks = request.StackMode == StackMode.None ? null : new StackTable();
        var windows = CaptureWindows.Whole(request.KeepEventsFor);
        var maps = new MapsHistory();
        (ISyscallSource Source, IReadOnlyList<string> Notes)? backend = null;
        Process? child = null;
        try
        {
            child = SuspendedLaunch.Start(
                trampoline,
                command,
                pid => backend = SyscallBackends.AttachBeforeExec(pid, windows.Sink, BackendOf(request, stacks)),
                // A .NET command waits at the port until its sessions run; anything else must not (see DotNetCommand).
                program => new Dictionary<string, string>
                {
                    [DiagnosticPortListener.PortsVariable] = listener.PortSetting(suspend: DotNetCommand.IsLikely(program)),
                });

            // Events are enabled by the command's execve, so the first one means the process is the command now.
            var watcher = new TargetWatcher(child.Id, Path.GetFileName(command[0]), string.Join(' ', command), ready: () => windows.EventsTotal > 0, maps);
            return new LiveCapture(child.Id, isDotNet: false, stacks, runtime, maps, backend!.Value, new ProcessTree(child.Id, runtime, maps), watcher, windows, child);
        }
        catch
        {
            backend?.Source.Dispose();
            child?.Dispose();
            windows.Dispose();
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Attaches to a running process for a watch without end (monitor): one window at a time is aggregated and handed
    /// back by <see cref="TakeWindow"/>, so memory holds one interval's keys however long the watch runs.
    /// </summary>
    /// <param name="others">Under --all, the processes watched: calls of another one with a watch of its own are left to it.</param>
    /// <exception cref="AdvisorException">The process is gone, or no backend may trace it.</exception>
    public static LiveCapture Watch(int pid, CaptureRequest request, WatchedProcesses? others = null)
    {
        var identity = Identify(pid);
        var isDotNet = RuntimeProbe.RuntimeVersion(pid) is not null;
        var stacks = request.StackMode == StackMode.None ? null : new StackTable();
        var windows = CaptureWindows.Rotate(pid, isDotNet, request.RuntimeParts, out var runtime);
        try
        {
            List<string> notes = [];
            if (isDotNet && !RuntimeSessions.NameCompiledMethods(pid, runtime.Methods))
            {
                notes.Add("the runtime did not list the methods it compiled before the watch: their frames stay unnamed");
            }

            var maps = new MapsHistory();
            var (source, backendNotes) = SyscallBackends.Attach(pid, others is null ? windows.Sink : new OwnCallsOnly(pid, others, windows.Sink), BackendOf(request, stacks));
            var tree = new ProcessTree(pid, runtime, maps);
            tree.Saw(pid);
            var watcher = new TargetWatcher(pid, identity.Name, identity.CommandLine, ready: () => true, maps);
            return new LiveCapture(pid, isDotNet, stacks, runtime, maps, (source, [.. backendNotes, .. notes]), tree, watcher, windows, child: null)
            {
                // Measured once, at attach, on the tool's own thread: a watch never stops to measure as a recording does.
                _tracer = source is ICalibratingSource calibrating ? calibrating.MeasureCost() : Task.FromResult(TracerCost.None),
            };
        }
        catch
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private static ProcessIdentity Identify(int pid) => ProcessIdentity.Read(pid)
        ?? throw new AdvisorException(FailureKind.Target, $"no process with id {pid} (see `dotnet-advisor ps`)");

    private static BackendRequest BackendOf(CaptureRequest request, StackTable? stacks) =>
        new(request.Backend, stacks, request.SampleRateHz, request.StackMode, request.RingBytes);

    /// <summary>What the target runs, as the report names it ("MyService", not "dotnet").</summary>
    public string Name => _tree.Describe().GetValueOrDefault(_pid)?.Name ?? _watcher.Describe(exitCode: null).Name;

    /// <summary>
    /// Records until the target exits, the duration passes, or <paramref name="cancel"/> fires, looking at the target
    /// and the processes it starts meanwhile; then stops the backend.
    /// </summary>
    /// <param name="progress">Told the calls and lost records so far, every 250 ms.</param>
    public async Task<StopReason> RecordAsync(TimeSpan? duration, Action<long, long> progress, CancellationToken cancel)
    {
        var stopped = new TaskCompletionSource();
        await using var registration = cancel.Register(() => stopped.TrySetResult());
        var timer = duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;

        // Progress every 250 ms; the target is looked at every 25 ms until it is identified, because a short
        // command can load the runtime and exit between two progress ticks and would be reported as not .NET
        // (for the first 2 s only: a target that is not .NET by then most likely never will be).
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        Task first;
        for (var ticks = 1; ; ticks++)
        {
            var next = tick.WaitForNextTickAsync(CancellationToken.None).AsTask();
            first = await Task.WhenAny(Exited, timer, stopped.Task, next).ConfigureAwait(false);
            if (first != next)
            {
                break;
            }

            if (ticks % 10 == 0)
            {
                progress(EventsTotal, LostEvents);
            }

            if (ticks % 10 == 0 || (!_watcher.Identified && ticks < 80))
            {
                _watcher.Poll();
            }

            // Children and exec'd programs are looked at as they appear: a testhost may live a second.
            while (_windows.TryTakeNewProcess(out var pid))
            {
                _tree.Saw(pid);
            }

            _tree.Poll();
        }

        _statistics = _source.Stop();
        _recorded = _windows.Recorded(MonotonicClock.NowNs());
        await _stopWatching.CancelAsync().ConfigureAwait(false);
        return first == Exited ? StopReason.TargetExited
            : first == timer ? StopReason.DurationElapsed
            : StopReason.Interrupted;
    }

    /// <summary>A launched command's exit code, once it exited (given a moment after a stop); null while it runs on.</summary>
    public int? CommandExitCode(StopReason reason) =>
        _child is not null && (reason == StopReason.TargetExited || _child.WaitForExit(ChildExitGrace)) ? _child.ExitCode : null;

    /// <summary>The target as seen while it ran.</summary>
    public TargetInfo Describe(int? exitCode) => _watcher.Describe(exitCode);

    /// <summary>
    /// Ends the runtime side of a recording stopped by <see cref="RecordAsync"/> and joins it with the syscalls: stacks
    /// named, runtime events attached, every note on what was not seen gathered in the order the report shows them.
    /// </summary>
    /// <param name="target">The target as <see cref="Describe"/> gave it (whether it is .NET decides what the runtime side gives).</param>
    /// <param name="sessionNotes">What the command knows that the recording does not (how it ended).</param>
    public async Task<RecordingResult> FinishAsync(StopReason reason, TargetInfo target, IEnumerable<string> sessionNotes)
    {
        var recorded = _recorded ?? throw new InvalidOperationException("FinishAsync comes after RecordAsync");
        var statistics = _statistics!;
        _stopped = true;
        var exited = reason == StopReason.TargetExited || !ProcTasks.ProcessExists(target.Pid);
        if (!exited)
        {
            _maps.Capture(target.Pid);
        }

        // The backend measures its own cost meanwhile (see SourceStatistics.Tracer).
        var runtimeNotes = await _runtime.StopAsync(exited, target.IsDotNet, _watcher.StartEnvironment).ConfigureAwait(false);
        var tracer = await statistics.Tracer.ConfigureAwait(false);
        var symbolizer = new StackSymbolizer(_runtime.Methods, _maps, target.Pid);
        var snapshot = Correlator.Join(recorded, _stacks ?? new StackTable(), _runtime.Events.Snapshot(), _runtime.Events.Stacks, symbolizer) with
        {
            Tracer = tracer,
            Processes = _tree.Describe(),
        };

        var notes = new List<string>(statistics.Notes);
        notes.AddRange(_notes);
        notes.AddRange(runtimeNotes);
        notes.AddRange(sessionNotes);
        if (statistics.Lost > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture, $"{statistics.Lost:N0} syscall records were lost (ring buffers full): counts are lower bounds"));
        }

        if (!target.IsDotNet)
        {
            notes.Add("the target did not load the .NET runtime: findings come from its syscalls alone");
        }

        return new RecordingResult(snapshot, _source.Name, reason, notes) { Kept = _windows.Kept };
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_windows.Rotating is not null && !_stopped)
        {
            // A watch ends as a recording would: the backend first, then the runtime session.
            _stopped = true;
            var statistics = _source.Stop();
            await _runtime.StopAsync(targetExited: !ProcTasks.ProcessExists(_pid), _isDotNet).ConfigureAwait(false);
            await statistics.Tracer.ConfigureAwait(false); // the backend's own measurement, ended before it detaches
        }

        _source.Dispose();
        _child?.Dispose();
        _windows.Dispose();
        await _runtime.DisposeAsync().ConfigureAwait(false);
        _stopWatching.Dispose();
    }
}
