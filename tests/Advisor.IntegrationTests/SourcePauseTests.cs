using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Bpf;
using Advisor.Linux.Perf;

namespace Advisor.IntegrationTests;

/// <summary>monitor's recorded windows: a paused source (bpf, perf) records no call that starts, and records again once resumed.</summary>
public sealed class SourcePauseTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-pause-");

    public void Dispose() => _dir.Delete(recursive: true);

    private sealed class Counter : ISyscallSink
    {
        private long _calls;

        public long Calls => Interlocked.Read(ref _calls);

        public void OnSyscall(in SyscallEvent e) => Interlocked.Increment(ref _calls);

        public void OnLost(long count)
        {
        }
    }

    public static TheoryData<string> Backends => ["bpf", "perf"];

    private static ISyscallSource Attach(string backend, int pid, ISyscallSink sink) => backend == "bpf"
        ? BpfSyscallSource.Attach(pid, sink, new BpfOptions(null, StackMode.None))
        : PerfSyscallSource.Attach(pid, sink);

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void A_paused_source_records_nothing_new_and_a_resumed_one_records_again(string backend)
    {
        Privileges.RequireBackend(backend);
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "w.dat"), "--run-for", "30"]);
        try
        {
            Thread.Sleep(1_000); // past its start-up: writing steadily
            var counter = new Counter();
            using var source = Attach(backend, target.Id, counter);
            var pausable = source.ShouldBeAssignableTo<IPausableSource>().ShouldNotBeNull();

            var before = Recorded(counter, TimeSpan.FromMilliseconds(700));
            pausable.Pause();
            Thread.Sleep(200); // the rings drained, the calls in flight completed
            var paused = Recorded(counter, TimeSpan.FromSeconds(1));
            pausable.Resume();
            var after = Recorded(counter, TimeSpan.FromMilliseconds(700));
            source.Stop();

            before.ShouldBeGreaterThan(1_000);
            paused.ShouldBeLessThan(10, "calls were recorded while paused");
            after.ShouldBeGreaterThan(1_000);
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
        }
    }

    /// <summary>The reads a sink saw, with how long each took.</summary>
    private sealed class Reads(int readNumber) : ISyscallSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _durationsNs = new();

        public IReadOnlyCollection<long> DurationsNs => _durationsNs;

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Number == readNumber && e.Arg0 == 0)
            {
                _durationsNs.Enqueue(e.DurationNs);
            }
        }

        public void OnLost(long count)
        {
        }
    }

    /// <summary>
    /// A read in flight at the pause ends unseen, and the next one starts unseen; when that one ends after the
    /// resume, its exit must not be paired with the first one's enter (a read "blocked" across the whole pause).
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void A_call_whose_exit_went_unseen_while_paused_is_not_paired_with_a_later_calls_exit(string backend)
    {
        Privileges.RequireBackend(backend);
        using var target = ProcessRunner.Start("bash", ["-c", "read -r -n1 a; read -r -n1 b; read -r -n1 c; read -r -n1 d"]);
        try
        {
            Advisor.Linux.Syscalls.LinuxTables.Current.TryGetNumber("read", out var read).ShouldBeTrue();
            Thread.Sleep(300); // in its first read, before the source: not recorded
            var reads = new Reads(read);
            using var source = Attach(backend, target.Id, reads);
            var pausable = (IPausableSource)source;

            Send(target, 'a'); // the first read ends (its enter unseen), the second starts, recorded
            Thread.Sleep(200);
            pausable.Pause();
            Send(target, 'b'); // the second ends unseen, the third starts unseen
            Thread.Sleep(700);
            pausable.Resume();
            Thread.Sleep(200);
            Send(target, 'c'); // the third ends after the resume; the fourth starts, recorded
            Send(target, 'd');
            target.WaitForExit(5_000).ShouldBeTrue();
            Thread.Sleep(200);
            source.Stop();

            reads.DurationsNs.ShouldAllBe(ns => ns < 500_000_000, "a read spanning the pause was recorded: an old enter paired with a new exit");
            reads.DurationsNs.Count.ShouldBeGreaterThan(0, "the read that started after the resume was not recorded");
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
                target.WaitForExit();
            }
        }
    }

    private static void Send(System.Diagnostics.Process target, char c)
    {
        target.StandardInput.Write(c);
        target.StandardInput.Flush();
    }

    private static long Recorded(Counter counter, TimeSpan over)
    {
        var start = counter.Calls;
        Thread.Sleep(over);
        return counter.Calls - start;
    }
}
