using System.Globalization;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang;

/// <summary>
/// Joins two observations of every thread, taken a window apart, with the runtime's view: a thread that
/// sat in the same syscall without running or switching is blocked, and has been since it last ran.
/// </summary>
public static class HangThreads
{
    /// <summary>
    /// A thread that used less CPU than this share of the window only woke up now and then (a poller, a
    /// timer): waking, not running. CPU time is counted in 10 ms ticks, so a few ticks mean little.
    /// </summary>
    private const double RunningCpuShare = 0.1;

    /// <param name="first">Each thread at the start of the window.</param>
    /// <param name="last">Each thread at its end.</param>
    /// <param name="lastAtNs">Time of the last observation, on the clock of <see cref="ThreadObservation.LastRanNs"/>.</param>
    /// <param name="introspector">Names the fd a blocked syscall waits on.</param>
    public static IReadOnlyList<HangThread> Join(
        int pid,
        IReadOnlyList<ThreadObservation> first,
        IReadOnlyList<ThreadObservation> last,
        long lastAtNs,
        double windowMs,
        SyscallCatalog catalog,
        ITargetIntrospector introspector,
        RuntimeState? runtime)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(introspector);
        var before = first.ToDictionary(t => t.Tid);
        var after = last.ToDictionary(t => t.Tid);
        var managed = runtime?.Threads.ToDictionary(t => t.Tid) ?? [];
        var processName = (after.GetValueOrDefault(pid) ?? before.GetValueOrDefault(pid))?.Name;

        return before.Keys.Union(after.Keys)
            .Order()
            .Select(tid =>
            {
                var start = before.GetValueOrDefault(tid);
                var end = after.GetValueOrDefault(tid);
                var seen = end ?? start!;
                var thread = managed.GetValueOrDefault(tid);
                var role = thread?.IsThreadPoolWorker == true ? ThreadRole.ThreadPoolWorker : ThreadRoles.Infer(pid, tid, seen.Name, processName);
                var cpuMs = start is null || end is null ? 0 : end.CpuMs - start.CpuMs;
                var activity = Activity(start, end, cpuMs >= RunningCpuShare * windowMs);
                string? syscall = null, blockedOn = null;
                int? fd = null;
                double? blockedFor = null;
                if (activity == ThreadActivity.Blocked && end!.SyscallNumber is { } nr)
                {
                    syscall = catalog.NameOf(nr);
                    (fd, blockedOn) = Target(pid, syscall, catalog.TraitsOf(nr), end.SyscallArgs, introspector);
                    // The scheduler's last-ran time says how long it has been asleep; the window is the floor.
                    blockedFor = Math.Max(windowMs, end.LastRanNs is { } ran ? (lastAtNs - ran) / 1e6 : 0);
                }

                return new HangThread(
                    tid, seen.Name, role, activity, seen.State, seen.Wchan, syscall, fd, blockedOn, blockedFor, cpuMs, thread?.Stack ?? Stacks.CallStack.Empty, thread?.Request)
                {
                    SocketFds = thread?.SocketFds ?? [],
                };
            })
            .ToList();
    }

    private static ThreadActivity Activity(ThreadObservation? start, ThreadObservation? end, bool usedCpu)
    {
        if (start is null || end is null)
        {
            return end is null ? ThreadActivity.Gone : ThreadActivity.Waking;
        }

        if (end.State is 'T' or 't')
        {
            return ThreadActivity.Stopped;
        }

        if (usedCpu || end.State == 'R')
        {
            return ThreadActivity.Running;
        }

        var stayed = end.ContextSwitches == start.ContextSwitches
            && end.SyscallNumber is not null
            && end.SyscallNumber == start.SyscallNumber
            && end.SyscallArgs.SequenceEqual(start.SyscallArgs);
        return stayed ? ThreadActivity.Blocked : ThreadActivity.Waking;
    }

    /// <summary>
    /// What a blocked syscall waits on, readable: the fd and its path or endpoint — with the holder of a file
    /// lock it waits for — or the futex word.
    /// </summary>
    private static (int? Fd, string? Description) Target(
        int pid, string syscall, SyscallTraits traits, IReadOnlyList<ulong> args, ITargetIntrospector introspector)
    {
        if (args.Count == 0)
        {
            return (null, null);
        }

        if ((traits & SyscallTraits.FdArg0) != 0 && args[0] <= int.MaxValue)
        {
            var fd = (int)args[0];
            var description = introspector.DescribeFd(pid, fd);
            var holder = syscall is "flock" or "fcntl" ? introspector.LockHolder(pid, fd) : null;
            return (fd, holder is null ? description : $"{description} (locked by {holder})");
        }

        return (null, syscall == "futex" ? string.Create(CultureInfo.InvariantCulture, $"futex 0x{args[0]:x}") : null);
    }
}
