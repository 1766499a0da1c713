using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Bpf;

namespace Advisor.IntegrationTests;

/// <summary>monitor's recorded windows: a paused bpf source records no call that starts, and records again once resumed.</summary>
public sealed class BpfPauseTests : IDisposable
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

    [SkippableFact]
    public void A_paused_source_records_nothing_new_and_a_resumed_one_records_again()
    {
        Privileges.RequireTracing();
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "w.dat"), "--run-for", "30"]);
        try
        {
            Thread.Sleep(1_000); // past its start-up: writing steadily
            var counter = new Counter();
            using var source = BpfSyscallSource.Attach(target.Id, counter, new BpfOptions(null, StackMode.None));
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

    private static long Recorded(Counter counter, TimeSpan over)
    {
        var start = counter.Calls;
        Thread.Sleep(over);
        return counter.Calls - start;
    }
}
