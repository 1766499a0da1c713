using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Syscalls;
using Advisor.Linux.Syscalls;

namespace Advisor.UnitTests.Aggregation;

/// <summary>
/// Builds synthetic x86_64 syscall streams into a real <see cref="SyscallAggregator"/>: events are named by
/// syscall and stamped relative to the aggregator's origin, so a test reads like the program it imitates.
/// </summary>
internal sealed class SyscallStream
{
    public const long OriginNs = 5_000_000_000_000;
    public const long Second = 1_000_000_000;

    public static readonly SyscallCatalog Catalog = new(LinuxTables.ForArchitecture("x86_64"), LinuxTables.Errno("x86_64"));

    public SyscallStream(int pid = 10)
    {
        Pid = pid;
        Aggregator = new SyscallAggregator(Catalog, Introspector, OriginNs);
    }

    public int Pid { get; }

    public FakeIntrospector Introspector { get; } = new();

    public SyscallAggregator Aggregator { get; }

    public static int Nr(string syscall) =>
        Catalog.Table.TryGetNumber(syscall, out var nr) ? nr : throw new ArgumentException($"no syscall {syscall}", nameof(syscall));

    public SyscallStream File(int fd, string path)
    {
        Introspector.Fds[(Pid, fd)] = path;
        return this;
    }

    /// <summary>The fd is a connection between the target's runtime and the tool observing it.</summary>
    public SyscallStream ObserverSocket(int fd)
    {
        Introspector.Fds[(Pid, fd)] = "unix socket";
        Introspector.ObserverFds.Add((Pid, fd));
        return this;
    }

    public SyscallStream Thread(int tid, string name)
    {
        Introspector.ThreadNames[tid] = name;
        return this;
    }

    /// <summary>One call at <paramref name="atNs"/> after the origin.</summary>
    public void Call(int tid, string syscall, long atNs, long durationNs, long ret, ulong arg0 = 0, ulong arg1 = 0, ulong arg2 = 0, int stackId = 0) =>
        Aggregator.OnSyscall(new SyscallEvent(Pid, tid, Nr(syscall), OriginNs + atNs, durationNs, ret, arg0, arg1, arg2, stackId));

    /// <summary><paramref name="count"/> calls spread evenly over <paramref name="spanNs"/> starting at <paramref name="fromNs"/>.</summary>
    public void Repeat(
        int count, int tid, string syscall, long durationNs, long ret, ulong arg0 = 0, long spanNs = Second, long fromNs = 0, int stackId = 0)
    {
        for (var i = 0; i < count; i++)
        {
            Call(tid, syscall, fromNs + (spanNs * i / count), durationNs, ret, arg0, 0, ret < 0 ? 0 : (ulong)ret, stackId);
        }
    }

    /// <summary>The calls as the rules see them, with nothing joined (no runtime, stacks unnamed).</summary>
    public AggregateSnapshot Snapshot(long durationNs = Second) => new(Aggregator.Snapshot(OriginNs + durationNs));
}
