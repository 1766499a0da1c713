using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Monitoring;
using Advisor.Core.Recording;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.EventPipe;

namespace Advisor.Runtime.Capture;

/// <summary>
/// Where a capture's calls are folded: one aggregation for the whole recording (kept raw too when a raw-event output
/// asks), or one per interval for a watch, the runtime's events rotated with them (<see cref="RotatingWindows"/>).
/// </summary>
internal sealed class CaptureWindows : IDisposable
{
    private readonly SyscallAggregator? _whole;
    private readonly RecordingTee? _tee;
    private readonly RecordingIntrospector? _answers;
    private readonly ProcfsIntrospector _live;

    private CaptureWindows(
        ISyscallSink sink, ProcfsIntrospector live, SyscallAggregator? whole, RecordingTee? tee, RecordingIntrospector? answers, RotatingWindows? rotating)
    {
        Sink = sink;
        _live = live;
        _whole = whole;
        _tee = tee;
        _answers = answers;
        Rotating = rotating;
    }

    /// <summary>Where the source delivers: the aggregation, through the recording's tee when there is one.</summary>
    public ISyscallSink Sink { get; }

    /// <summary>A watch's intervals; null for a whole recording.</summary>
    public RotatingWindows? Rotating { get; }

    public long EventsTotal => _whole?.EventsTotal ?? Rotating!.Syscalls.EventsTotal;

    public long LostEvents => _whole?.LostEvents ?? Rotating!.Syscalls.LostEvents;

    /// <summary>The raw events kept for the outputs drawn from them; null when none asked.</summary>
    public KeptEvents? Kept => _tee is null || _answers is null ? null : new KeptEvents(_tee, _answers.Answers, LinuxTables.CurrentArchitecture());

    /// <param name="keepEventsFor">The first raw-event output, beside which the events are spilled; null keeps none.</param>
    public static CaptureWindows Whole(string? keepEventsFor)
    {
        var live = new ProcfsIntrospector();
        var answers = keepEventsFor is null ? null : new RecordingIntrospector(live);
        var aggregator = new SyscallAggregator(Catalog(), (ITargetIntrospector?)answers ?? live, MonotonicClock.NowNs());
        RecordingTee? tee = null;
        if (keepEventsFor is not null)
        {
            // Spilled beside the first recording, so the final file is a rename on the same file system away.
            var first = Path.GetFullPath(keepEventsFor);
            tee = new RecordingTee(aggregator, Path.Combine(Path.GetDirectoryName(first)!, $".{Path.GetFileName(first)}.{Environment.ProcessId}.events"));
        }

        return new CaptureWindows((ISyscallSink?)tee ?? aggregator, live, aggregator, tee, answers, rotating: null);
    }

    /// <summary>One interval at a time, the runtime sessions (started here, on a .NET process) delivering into their own.</summary>
    public static CaptureWindows Rotate(int pid, bool isDotNet, RuntimeEventParts parts, out RuntimeSessions runtime)
    {
        var catalog = Catalog();
        var introspector = new ProcfsIntrospector();
        var intervals = new IntervalAggregation(origin => new SyscallAggregator(catalog, introspector, origin), MonotonicClock.NowNs());
        IntervalRuntimeAggregation? runtimeIntervals = null;
        runtime = isDotNet
            ? RuntimeSessions.Attach(pid, parts, events => runtimeIntervals = new IntervalRuntimeAggregation(events))
            : RuntimeSessions.None();
        runtimeIntervals ??= new IntervalRuntimeAggregation(runtime.Events);
        return new CaptureWindows(intervals, introspector, whole: null, tee: null, answers: null, new RotatingWindows(intervals, runtimeIntervals));
    }

    /// <summary>
    /// Reads the target's fd table, once the source records: an fd opened before the attach is then described as it
    /// was, not as what its number holds when a lagging drain first meets it. Only a whole recording's aggregation
    /// knows every open and close since the start; a watch's windows each begin later.
    /// </summary>
    public void ReadFdsOpenAtStart(int pid)
    {
        if (_whole is not null)
        {
            _live.ReadFdsOpenAtStart(pid);
        }
    }

    /// <summary>A process that made its first call or exec'd, for the process tree; a watch follows none.</summary>
    public bool TryTakeNewProcess(out int pid)
    {
        pid = 0;
        return _whole is not null && _whole.TryTakeNewProcess(out pid);
    }

    /// <summary>The whole recording's calls, frozen at <paramref name="endNs"/>.</summary>
    public SyscallSnapshot Recorded(long endNs) =>
        (_whole ?? throw new InvalidOperationException("a watch is taken a window at a time")).Snapshot(endNs);

    public void Dispose() => _tee?.Dispose();

    private static SyscallCatalog Catalog() => new(LinuxTables.Current, LinuxTables.CurrentErrno);
}
