using Advisor.Core.Aggregation;
using Advisor.Core.Correlation;
using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Procfs;
using Advisor.Runtime.Symbols;

namespace Advisor.Runtime.Capture;

/// <summary>A watch's side of the capture (<see cref="Watch"/>): windows recorded, paused, and taken one at a time.</summary>
public sealed partial class LiveCapture
{
    private StackSymbolizer? _symbolizer;

    /// <summary>The recorder's cost, measured at attach (<see cref="ICalibratingSource"/>); a window taken before it is known goes without.</summary>
    private Task<TracerCost>? _tracer;
    private long? _pausedAtNs;

    /// <summary>Whether the backend can pause between recorded windows (bpf, perf).</summary>
    public bool CanPause => _source is IPausableSource;

    /// <summary>Stops recording new calls until <see cref="Resume"/>, where the backend can (bpf, perf); the others keep recording.</summary>
    public void Pause()
    {
        if (_source is IPausableSource pausable && _pausedAtNs is null)
        {
            pausable.Pause();
            _pausedAtNs = MonotonicClock.NowNs();
            RequireRotating().Runtime.End(_pausedAtNs.Value);
        }
    }

    /// <summary>
    /// Completes when the runtime has said what it needs to of the window paused: for a server, a request sample
    /// stamped after the pause, which EventPipe delivers late (see <see cref="Core.Monitoring.IntervalRuntimeAggregation"/>).
    /// </summary>
    public Task RuntimeCaughtUp => RequireRotating().Runtime.SampledPastEnd;

    /// <summary>Records again, from a fresh window: what completed while paused (calls started before) is dropped.</summary>
    public void Resume()
    {
        if (_source is IPausableSource pausable && _pausedAtNs is not null)
        {
            var now = MonotonicClock.NowNs();
            var rotating = RequireRotating();
            rotating.Syscalls.Rotate(now);
            rotating.Runtime.Rotate(now);
            pausable.Resume();
            _pausedAtNs = null;
        }
    }

    /// <summary>
    /// Ends the window in progress (where it paused, if it did: its rates are over the time it recorded) and joins it:
    /// stacks named, the runtime's events of the window attached, with the recorder's cost once measured.
    /// </summary>
    /// <returns>The window, and whether it had paused before its end.</returns>
    public (AggregateSnapshot Window, bool Paused) TakeWindow()
    {
        var rotating = RequireRotating();
        if (!Exited.IsCompleted && ProcTasks.ProcessExists(_pid))
        {
            _maps.Capture(_pid);
            Symbolizer().RereadMappings();
        }

        var endNs = _pausedAtNs ?? MonotonicClock.NowNs();
        var syscalls = rotating.Syscalls.Rotate(endNs);
        var (runtime, runtimeStacks) = rotating.Runtime.Rotate(endNs);
        var window = Correlator.Join(syscalls, _stacks ?? new StackTable(), runtime, runtimeStacks, Symbolizer()) with
        {
            Processes = _tree.Describe(),
            Tracer = _tracer is { IsCompletedSuccessfully: true } measured ? measured.Result : TracerCost.None,
        };
        var paused = _pausedAtNs is not null;
        if (paused)
        {
            _stacks?.Clear(); // taken, paused and drained: the next window interns its own (perf's, never paused, stop at the table's cap)
        }

        return (window, paused);
    }

    private StackSymbolizer Symbolizer() => _symbolizer ??= new StackSymbolizer(_runtime.Methods, _maps, _pid);

    private RotatingWindows RequireRotating() =>
        _windows.Rotating ?? throw new InvalidOperationException("a recording is taken once, when it stops");
}
