using Advisor.Cli.CommandLine;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Monitoring;
using Advisor.Core.Rules;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Capture;
using Advisor.Runtime.EventPipe;

namespace Advisor.Cli.Sessions;

/// <summary>
/// One process under <c>monitor</c>: its <see cref="LiveCapture"/> records one window at a time; <see cref="Judge"/>
/// takes the finished window, runs the rules and says what was raised and what cleared (<see cref="ActiveFindings"/>).
/// Wires stages only.
/// </summary>
/// <remarks>
/// The runtime sessions ask for what the rules read (<see cref="RuntimeParts"/>: the thread pool's events only with
/// <c>--pool-events</c>), and their events are judged with the window's calls: lock contention, and with those events
/// pool starvation, are raised as in a recording.
/// </remarks>
internal sealed class ProcessWatch : IAsyncDisposable
{
    /// <summary>
    /// A quarter of profile's rings: a watch records short windows, each process watched has its own, and the ring's
    /// pages count twice in the tool's RSS (bench/RESULTS.md, "Where monitor's memory goes"). 4 MiB still holds about
    /// 58,000 calls, some 60 ms of a 1M calls/s storm between drains 10 ms apart.
    /// </summary>
    private const ulong RingBytes = 4UL << 20;

    private readonly LiveCapture _capture;
    private readonly ActiveFindings _active = new();

    private ProcessWatch(LiveCapture capture)
    {
        _capture = capture;
        Name = capture.Name;
    }

    public int Pid => _capture.Pid;

    /// <summary>What the process runs ("MyService", not "dotnet").</summary>
    public string Name { get; }

    /// <summary>The backend's own notes and what the watch could not do, said once at its start.</summary>
    public IReadOnlyList<string> Notes => _capture.Notes;

    /// <summary>The backend that records the process.</summary>
    public string Backend => _capture.Backend;

    /// <summary>Completes when the process exits.</summary>
    public Task Exited => _capture.Exited;

    public long EventsTotal => _capture.EventsTotal;

    public long LostEvents => _capture.LostEvents;

    public int ActiveCount => _active.Current.Count;

    /// <summary>Judged since its backend last started recording: nothing new to judge until it records again.</summary>
    public bool Judged { get; private set; }

    /// <summary>Whether its backend can pause between recorded windows (bpf, perf).</summary>
    public bool CanPause => _capture.CanPause;

    /// <summary>Stops recording new calls until <see cref="Resume"/>, where the backend can (bpf, perf); the others keep recording.</summary>
    public void Pause() => _capture.Pause();

    /// <summary>Completes when the runtime has said what it needs to of the window paused (see <see cref="LiveCapture.RuntimeCaughtUp"/>).</summary>
    public Task RuntimeCaughtUp => _capture.RuntimeCaughtUp;

    /// <summary>Records again, from a fresh interval: what completed while paused (calls started before) is dropped.</summary>
    public void Resume()
    {
        Judged = false;
        _capture.Resume();
    }

    /// <summary>Attaches the backend and the runtime session to a running process.</summary>
    /// <param name="poolEvents">Whether the runtime is also asked for the thread pool's events (see <see cref="RuntimeParts"/>).</param>
    /// <param name="others">Under --all, the processes watched: calls of another one with a watch of its own are left to it.</param>
    /// <exception cref="AdvisorException">The process is gone, or no backend may trace it.</exception>
    public static ProcessWatch Start(int pid, RecordingChoice recording, bool poolEvents, WatchedProcesses? others = null) =>
        new(LiveCapture.Watch(pid, recording.Capture([]) with { RingBytes = RingBytes, RuntimeParts = RuntimeParts(poolEvents) }, others));

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
        var (window, paused) = _capture.TakeWindow();
        Judged = true;
        var findings = RuleEngine.Run(rules, window)
            .Where(f => verbose || f.Severity > Severity.Info)
            .ToList();
        var at = DateTimeOffset.UtcNow;
        var changes = gone ? [.. _active.Update(findings, at), .. _active.ClearAll(at)] : _active.Update(findings, at);
        return new IntervalOutcome(
            Pid, Name, window, [.. _active.Current.Select(a => a.Finding)], changes, Environment.CpuUsage.TotalTime.TotalSeconds, gone,
            Coverage(window.DurationSeconds, paused ? interval : null));
    }

    /// <summary>
    /// The share of an interval recorded, by which exported counters are scaled to the whole interval: 1 for an
    /// interval recorded throughout (never paused, or paused where it ended, by a stop).
    /// </summary>
    internal static double Coverage(double recordedSeconds, TimeSpan? interval) =>
        interval is { } length ? Math.Clamp(recordedSeconds / length.TotalSeconds, 1e-3, 1) : 1;

    /// <summary>Detaches: the backend first, then the runtime session, each ended as it would be at a recording's end.</summary>
    public ValueTask DisposeAsync() => _capture.DisposeAsync();
}
