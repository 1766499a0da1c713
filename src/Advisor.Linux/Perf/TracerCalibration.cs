using System.Diagnostics;
using System.Runtime.CompilerServices;
using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Native;
using Advisor.Linux.Syscalls;

namespace Advisor.Linux.Perf;

/// <summary>
/// Measures what a recorder adds to a call's measured duration, with the recording's own settings: a thread of
/// the tool makes a trivial call (getppid) thousands of times bare, then recorded without stacks, then recorded
/// with its stack walked at a shallow and at a deep stack. The bare time is the crossing into the kernel and
/// back; the recorded durations, nearly all recorder (getppid does almost nothing between the timestamps), give
/// its part per call, per walked stack, and per frame walked.
/// </summary>
/// <remarks>Costs a few tenths of a second, once, when the recording stops; nothing of the target is touched.</remarks>
internal static class TracerCalibration
{
    private const int Calls = 4_000;
    private const int Rounds = 3;
    private const int ShallowDepth = 2;
    private const int DeepDepth = 40;
    private const int PacedBatch = 500;
    private const int PaceMs = 10;

    /// <summary>Starts the same recorder on one thread of this process (its tid), delivering to the sink, walking stacks into the table if one is given.</summary>
    public delegate ISyscallSource Recorder(int tid, ISyscallSink sink, StackTable? stacks);

    /// <summary>
    /// Measures on a thread of its own, started now: the recording has stopped, and the caller ends the runtime
    /// session meanwhile rather than wait for it (the measure takes a few tenths of a second).
    /// </summary>
    /// <param name="stacks">Whether the recording walks stacks (then their cost is measured too).</param>
    /// <returns>The cost once measured; <see cref="TracerCost.None"/> when it could not be.</returns>
    public static Task<TracerCost> Measure(Recorder recorder, bool stacks = true)
    {
        var cost = new TaskCompletionSource<TracerCost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                cost.SetResult(MeasureOnThisThread(recorder, stacks));
            }
            catch (Core.Failures.AdvisorException)
            {
                // Not measured: the report's savings then keep the recorder's share, as before.
                cost.SetResult(TracerCost.None);
            }
            catch (Exception e)
            {
                cost.SetException(e);
            }
        })
        { IsBackground = true, Name = "advisor calibration" };
        thread.Start();
        return cost.Task;
    }

    private static TracerCost MeasureOnThisThread(Recorder recorder, bool withStacks)
    {
        var crossingNs = Enumerable.Range(0, Rounds).Min(_ => BareNsPerCall());
        var tid = LibC.GetThreadId();
        var plain = Record(recorder, tid, stacks: null, [ShallowDepth]);
        if (plain.Count == 0)
        {
            return TracerCost.None;
        }

        var inWindowNs = plain[0].MedianNs;
        if (!withStacks)
        {
            return new TracerCost(inWindowNs, 0, 0, crossingNs);
        }

        var walked = Record(recorder, tid, new StackTable(), [ShallowDepth, DeepDepth]);
        if (walked.Count == 0)
        {
            return new TracerCost(inWindowNs, 0, 0, crossingNs);
        }

        var (shallow, deep) = (walked[0], walked[^1]);
        var perFrame = deep.Frames > shallow.Frames ? Math.Max(0, (deep.MedianNs - shallow.MedianNs) / (deep.Frames - shallow.Frames)) : 0;
        var perStack = Math.Max(0, shallow.MedianNs - inWindowNs - (perFrame * shallow.Frames));
        return new TracerCost(inWindowNs, perStack, perFrame, crossingNs);
    }

    /// <summary>The median recorded duration at each depth, with the frames its stacks had (0 without stacks).</summary>
    private static List<(double Frames, double MedianNs)> Record(Recorder recorder, int tid, StackTable? stacks, int[] depths)
    {
        var durations = new Durations(LinuxTables.Current.TryGetNumber("getppid", out var nr) ? nr : -1);
        using (var source = recorder(tid, durations, stacks))
        {
            foreach (var depth in depths)
            {
                AtDepth(depth, stacks is null ? () => Repeat(Calls) : RepeatPaced);
            }

            source.Stop();
        }

        // With stacks, only the calls that got one: a ring short of room records a call without its stack.
        return durations.Calls
            .Where(c => stacks is null || c.StackId != StackTable.None)
            .GroupBy(c => stacks is null ? 0 : stacks.FramesOf(c.StackId).Length)
            .Where(g => g.Count() >= Calls / 4)
            .Select(g => (Frames: (double)g.Key, MedianNs: Median(g.Select(c => c.DurationNs))))
            .OrderBy(g => g.Frames)
            .ToList();
    }

    private static double BareNsPerCall()
    {
        var clock = Stopwatch.StartNew();
        Repeat(Calls);
        return clock.Elapsed.TotalNanoseconds / Calls;
    }

    /// <summary>
    /// The calls with stacks, in batches a drain interval apart: each carries a copy of the user stack (kilobytes),
    /// and thousands at once would fill the ring faster than it is drained.
    /// </summary>
    private static void RepeatPaced()
    {
        for (var done = 0; done < Calls; done += PacedBatch)
        {
            Repeat(PacedBatch);
            Thread.Sleep(PaceMs);
        }
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
