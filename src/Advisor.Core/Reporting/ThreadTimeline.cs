using Advisor.Core.Events;

namespace Advisor.Core.Reporting;

/// <summary>
/// Per thread, over the recording cut in equal slices: how many syscalls it made and how much of the slice it
/// spent inside them (blocked or working in the kernel). Fed the raw events; memory is threads × slices.
/// </summary>
public sealed class ThreadTimeline(long startNs, long endNs, int slices = ThreadTimeline.DefaultSlices) : ISyscallSink
{
    public const int DefaultSlices = 120;

    private readonly Dictionary<int, (long[] Calls, long[] KernelNs)> _threads = new();
    private readonly long _sliceNs = Math.Max(1, (endNs - startNs + slices - 1) / slices);

    public int Slices => slices;

    public double SliceMs => _sliceNs / 1e6;

    public void OnSyscall(in SyscallEvent e)
    {
        if (!_threads.TryGetValue(e.Tid, out var thread))
        {
            _threads[e.Tid] = thread = (new long[slices], new long[slices]);
        }

        thread.Calls[Slice(e.StartNs)]++;
        // A long call is spread over the slices it spans, so a thread blocked for seconds shows as blocked.
        var (from, to) = (Math.Max(e.StartNs, startNs), Math.Min(e.StartNs + e.DurationNs, endNs));
        while (from < to)
        {
            var slice = Slice(from);
            var sliceEnd = startNs + ((slice + 1) * _sliceNs);
            var part = Math.Min(to, sliceEnd) - from;
            thread.KernelNs[slice] += part;
            from += Math.Max(1, part);
        }
    }

    public void OnLost(long count)
    {
    }

    /// <summary>The busiest threads (by calls) with their slices: calls, and the share of each slice in the kernel.</summary>
    public IReadOnlyList<(int Tid, long[] Calls, double[] KernelShare)> Busiest(int count) =>
        _threads.OrderByDescending(t => t.Value.Calls.Sum())
            .Take(count)
            .Select(t => (t.Key, t.Value.Calls, t.Value.KernelNs.Select(ns => Math.Min(1, ns / (double)_sliceNs)).ToArray()))
            .ToList();

    private int Slice(long ns) => (int)Math.Clamp((ns - startNs) / _sliceNs, 0, slices - 1);
}
