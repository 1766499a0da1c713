using System.Diagnostics;
using System.Runtime.CompilerServices;
using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Native;
using Advisor.Linux.Syscalls;

namespace Advisor.Linux.Perf;

/// <summary>
/// Measures what the perf backend adds to a call's measured duration, with the recording's own settings:
/// a thread of the tool makes a trivial call (getppid) thousands of times bare, then recorded at a shallow and
/// at a deep stack. The bare time is the crossing into the kernel and back; the recorded durations, nearly all
/// recorder (getppid does almost nothing between the timestamps), give its fixed part and its part per stack
/// frame walked.
/// </summary>
/// <remarks>Costs about a tenth of a second, once, when the recording stops; nothing of the target is touched.</remarks>
internal static class TracerCalibration
{
    private const int Calls = 4_000;
    private const int Rounds = 3;
    private const int ShallowDepth = 2;
    private const int DeepDepth = 40;

    public static TracerCost Measure(PerfOptions options)
    {
        TracerCost? cost = null;
        var thread = new Thread(() =>
        {
            try
            {
                cost = MeasureOnThisThread(options);
            }
            catch (Core.Failures.AdvisorException)
            {
                // Not measured: the report's savings then keep the recorder's share, as before.
            }
        })
        { IsBackground = true, Name = "advisor calibration" };
        thread.Start();
        thread.Join();
        return cost ?? TracerCost.None;
    }

    private static TracerCost MeasureOnThisThread(PerfOptions options)
    {
        var crossingNs = Enumerable.Range(0, Rounds).Min(_ => BareNsPerCall());
        var durations = new Durations(LinuxTables.Current.TryGetNumber("getppid", out var nr) ? nr : -1);
        var stacks = options.Stacks is null ? null : new StackTable();
        using (var source = PerfSyscallSource.AttachThread(LibC.GetThreadId(), durations, options with { Stacks = stacks, Calibrate = false }))
        {
            AtDepth(ShallowDepth, () => Repeat(Calls));
            if (stacks is not null)
            {
                AtDepth(DeepDepth, () => Repeat(Calls));
            }

            source.Stop();
        }

        var byDepth = durations.Calls
            .GroupBy(c => stacks is null ? 0 : stacks.FramesOf(c.StackId).Length)
            .Where(g => g.Count() >= Calls / 4)
            .Select(g => (Frames: (double)g.Key, MedianNs: Median(g.Select(c => c.DurationNs))))
            .OrderBy(g => g.Frames)
            .ToList();
        if (byDepth.Count == 0)
        {
            return TracerCost.None;
        }

        var (shallow, deep) = (byDepth[0], byDepth[^1]);
        var perFrame = deep.Frames > shallow.Frames ? Math.Max(0, (deep.MedianNs - shallow.MedianNs) / (deep.Frames - shallow.Frames)) : 0;
        return new TracerCost(Math.Max(0, shallow.MedianNs - (perFrame * shallow.Frames)), perFrame, crossingNs);
    }

    private static double BareNsPerCall()
    {
        var clock = Stopwatch.StartNew();
        Repeat(Calls);
        return clock.Elapsed.TotalNanoseconds / Calls;
    }

    private static void Repeat(int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            _ = LibC.GetParentPid();
        }
    }

    /// <summary>Runs <paramref name="work"/> under <paramref name="depth"/> more managed frames (each keeps its frame pointer).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AtDepth(int depth, Action work)
    {
        if (depth <= 0)
        {
            work();
            return;
        }

        AtDepth(depth - 1, work);
    }

    private static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    /// <summary>The calibration thread's getppid calls, with their durations and stacks.</summary>
    private sealed class Durations(int getppid) : ISyscallSink
    {
        public List<(long DurationNs, int StackId)> Calls { get; } = [];

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Number == getppid)
            {
                Calls.Add((e.DurationNs, e.StackId));
            }
        }

        public void OnLost(long count)
        {
        }
    }
}
