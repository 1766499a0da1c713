using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Bpf;
using Advisor.Linux.Syscalls;

namespace Advisor.IntegrationTests;

/// <summary>The bpf ring's size is the tool's to choose (monitor takes a smaller one): every call is still accounted for.</summary>
public sealed class BpfRingTests : IDisposable
{
    private const int Writes = 200_000;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-bpf-ring-");

    public void Dispose() => _dir.Delete(recursive: true);

    private sealed class Writes64(int pid, int number) : ISyscallSink
    {
        private long _calls;
        private long _withStack;
        private long _lost;

        public long Calls => Interlocked.Read(ref _calls);

        public long WithStack => Interlocked.Read(ref _withStack);

        public long Lost => Interlocked.Read(ref _lost);

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Pid == pid && e.Number == number)
            {
                Interlocked.Increment(ref _calls);
                if (e.StackId != StackTable.None)
                {
                    Interlocked.Increment(ref _withStack);
                }
            }
        }

        public void OnLost(long count) => Interlocked.Add(ref _lost, count);
    }

    /// <summary>
    /// A 1 MiB ring, sized as asked, under a storm with sampled stacks (8.7 KiB each with its stack copy): a call the
    /// ring had no room for is counted as lost, never dropped unsaid, and stacks still come through. That stacks give
    /// way past half the ring is the kernel program's rule (syscalls.bpf.c, sample_stack); this test does not time it.
    /// </summary>
    [SkippableFact]
    public void A_small_ring_records_or_counts_every_call_of_a_storm()
    {
        Privileges.RequireBackend("bpf");
        LinuxTables.Current.TryGetNumber("pwrite64", out var pwrite64).ShouldBeTrue();
        var start = Path.Combine(_dir.FullName, "start");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", Path.Combine(_dir.FullName, "w.dat"), "--count", $"{Writes}", "--start-after", start]);
        try
        {
            var sink = new Writes64(target.Id, pwrite64);
            using (var source = BpfSyscallSource.Attach(target.Id, sink, new BpfOptions(new StackTable(), Calibrate: false, RingBytes: 1UL << 20)))
            {
                BpfRings.SizesIn(Environment.ProcessId).ShouldContain(1L << 20);
                File.WriteAllText(start, "");
                target.WaitForExit(TimeSpan.FromMinutes(1)).ShouldBeTrue("the sample did not finish");
                source.Stop();
            }

            sink.Calls.ShouldBeLessThanOrEqualTo(Writes);
            (sink.Calls + sink.Lost).ShouldBeGreaterThanOrEqualTo(Writes, $"{sink.Calls:N0} recorded and {sink.Lost:N0} lost of {Writes:N0}");
            sink.WithStack.ShouldBeGreaterThan(0, "no call got its stack");
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
}
