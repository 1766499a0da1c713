using Advisor.Core.Aggregation;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Correlation;

/// <summary>
/// Joins what the syscalls showed with what the runtime said, once the recording has stopped: names the
/// call stacks (symbolised once, here, not while recording), attaches the runtime's events, and lets them
/// settle thread roles that names alone leave open. Both sides share OS thread ids and CLOCK_MONOTONIC.
/// </summary>
public static class Correlator
{
    /// <summary>Stacks named per aggregation key: the rules show a handful, this leaves room to merge.</summary>
    public const int StacksPerKey = 32;

    public static AggregateSnapshot Join(
        SyscallSnapshot syscalls,
        StackTable syscallStacks,
        RuntimeSnapshot runtime,
        StackTable runtimeStacks,
        IStackSymbolizer symbolizer)
    {
        ArgumentNullException.ThrowIfNull(syscalls);
        ArgumentNullException.ThrowIfNull(runtime);
        var stackIds = syscalls.Rows.SelectMany(r => r.Stacks.Take(StacksPerKey)).Select(s => s.StackId);
        var contentionIds = runtime.Contention.Sites.Concat(runtime.PoolBlockedSites)
            .OrderByDescending(s => s.WaitMs)
            .Take(CallSites.Top * StacksPerKey)
            .Select(s => s.StackId);

        return new AggregateSnapshot(syscalls)
        {
            Threads = syscalls.Threads.Select(t => Refine(t, runtime)).ToList(),
            Stacks = CallStacks.Name(syscallStacks, stackIds, symbolizer),
            Runtime = runtime with { Stacks = CallStacks.Name(runtimeStacks, contentionIds, symbolizer) },
        };
    }

    /// <summary>A thread the pool used as a worker is one, whatever its name says.</summary>
    private static ThreadInfo Refine(ThreadInfo thread, RuntimeSnapshot runtime) =>
        runtime.PoolWorkerTids.Contains(thread.Tid) && thread.Role is ThreadRole.Other or ThreadRole.RuntimeService or ThreadRole.UserNamed
            ? thread with { Role = ThreadRole.ThreadPoolWorker }
            : thread;
}
