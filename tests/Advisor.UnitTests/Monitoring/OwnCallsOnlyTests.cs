using Advisor.Core.Events;
using Advisor.Core.Monitoring;

namespace Advisor.UnitTests.Monitoring;

/// <summary>monitor --all: a watch passes on its own process's calls and its unwatched children's, not a watched child's.</summary>
public class OwnCallsOnlyTests
{
    private sealed class Collected : ISyscallSink
    {
        public List<int> Pids { get; } = [];

        public List<string> Names { get; } = [];

        public long Lost { get; private set; }

        public void OnSyscall(in SyscallEvent e) => Pids.Add(e.Pid);

        public void OnLost(long count) => Lost += count;

        public void OnThreadName(int pid, int tid, string name) => Names.Add(name);
    }

    private static SyscallEvent Call(int pid) => new(pid, pid, 1, 0, 100, 16, 3, 0, 16);

    [Fact]
    public void A_child_with_a_watch_of_its_own_is_left_to_it_and_one_without_is_kept()
    {
        var watched = new WatchedProcesses();
        watched.Add(100);
        watched.Add(200); // a watched child of 100
        var inner = new Collected();
        ISyscallSink sink = new OwnCallsOnly(100, watched, inner);

        foreach (var pid in new[] { 100, 200, 300 }) // 300: a child nobody watches (a git the service runs)
        {
            sink.OnSyscall(Call(pid));
            sink.OnThreadName(pid, pid, $"p{pid}");
        }

        sink.OnLost(5);

        inner.Pids.ShouldBe([100, 300]);
        inner.Names.ShouldBe(["p100", "p300"]);
        inner.Lost.ShouldBe(5);
    }

    [Fact]
    public void A_child_whose_watch_ended_is_kept_again()
    {
        var watched = new WatchedProcesses();
        watched.Add(100);
        watched.Add(200);
        var inner = new Collected();
        var sink = new OwnCallsOnly(100, watched, inner);

        watched.Remove(200);
        sink.OnSyscall(Call(200));

        inner.Pids.ShouldBe([200]);
    }
}
