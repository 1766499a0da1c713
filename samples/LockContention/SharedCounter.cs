using System.Runtime.CompilerServices;

namespace LockContention;

/// <summary>
/// Per-bucket sums of the items counted so far, shared by all the tasks and guarded by one lock (a C#
/// <c>lock</c> on a plain object, that is <see cref="Monitor"/>). Item <c>i</c> adds <c>i</c> to bucket
/// <c>i % 16</c>, so after items 0..N-1 the total is N(N-1)/2, whatever the order and the mode.
/// </summary>
internal sealed class SharedCounter
{
    public const int BucketCount = 16;

    // About 7 µs (the runtime calibrates Thread.SpinWait to roughly 35 ns per iteration on any CPU): long
    // enough that another task usually finds the lock taken, spins in vain and then blocks in the kernel
    // (futex). 20,000 items then keep the lock busy for about 140 ms.
    private const int WorkSpins = 200;

    private readonly object _gate = new();
    private readonly long[] _buckets = new long[BucketCount];

    /// <summary>The pathology (ADV004 lock-contention): every item takes the one shared lock and does its
    /// work while holding it, so the tasks queue up on it. Not inlined, so that it shows up in stacks as
    /// <c>LockContention.SharedCounter.Increment</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Increment(int item)
    {
        lock (_gate)
        {
            Work(_buckets, item);
        }
    }

    /// <summary>The fixed twin's only lock acquisition per task: adds the task's own buckets at the end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Merge(ReadOnlySpan<long> buckets)
    {
        lock (_gate)
        {
            for (int i = 0; i < BucketCount; i++)
            {
                _buckets[i] += buckets[i];
            }
        }
    }

    public long Total()
    {
        lock (_gate)
        {
            return _buckets.Sum();
        }
    }

    /// <summary>The work for one item, the same in both modes: inside the lock on the shared buckets
    /// (pathological) or on a task's own buckets with no lock at all (fixed).</summary>
    public static void Work(Span<long> buckets, int item)
    {
        Thread.SpinWait(WorkSpins);
        buckets[item % BucketCount] += item;
    }
}
