using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Bpf;
using Advisor.Linux.Perf;

namespace Advisor.IntegrationTests;

/// <summary>
/// monitor's recorded windows: a paused source (bpf, perf) records no call that starts, and records again once
/// resumed. Judged by when calls started (the sources stamp CLOCK_MONOTONIC), not by what arrived in a stretch of
/// time: a ring drained late still says when each call began.
/// </summary>
public sealed class SourcePauseTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-pause-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>When each call the source recorded started, and how many started from a moment on.</summary>
    private sealed class Starts : ISyscallSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _startsNs = new();
        private long _fromNs = long.MaxValue;
        private long _sinceFrom;

        public long Calls => _startsNs.Count;

        public long SinceFrom => Interlocked.Read(ref _sinceFrom);

        public IReadOnlyCollection<long> StartsNs => _startsNs;

        /// <summary>From now on, counts the calls that started at or after <paramref name="ns"/>.</summary>
        public void CountFrom(long ns) => Interlocked.Exchange(ref _fromNs, ns);

        public void OnSyscall(in SyscallEvent e)
        {
            _startsNs.Enqueue(e.StartNs);
            if (e.StartNs >= Interlocked.Read(ref _fromNs))
            {
                Interlocked.Increment(ref _sinceFrom);
            }
        }

        public void OnLost(long count)
        {
        }
    }

    public static TheoryData<string> Backends => ["bpf", "perf"];

    private static ISyscallSource Attach(string backend, int pid, ISyscallSink sink) => backend == "bpf"
        ? BpfSyscallSource.Attach(pid, sink, new BpfOptions(null, StackMode.None))
        : PerfSyscallSource.Attach(pid, sink);

    /// <summary>
    /// A call that starts while the source is paused is not recorded, whenever its record would have been drained; the
    /// target's own file says it went on writing meanwhile.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void A_paused_source_records_no_call_started_while_paused_and_a_resumed_one_records_again(string backend)
    {
        Privileges.RequireBackend(backend);
        var data = Path.Combine(_dir.FullName, "w.dat");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--path", data, "--run-for", "600"]); // stopped by the test
        try
        {
            WrittenRecords.WaitFor(data, 1, "the sample never started writing"); // 10,000 records every 100 ms
            var calls = new Starts();
            using var source = Attach(backend, target.Id, calls);
            var pausable = source.ShouldBeAssignableTo<IPausableSource>().ShouldNotBeNull();
            TargetThreads.Until(() => calls.Calls >= 1_000, "the source recorded fewer than 1,000 calls");

            pausable.Pause();
            var pausedNs = MonotonicClock.NowNs();
            WrittenRecords.WaitFor(data, WrittenRecords.In(data) + 20_000, "while the source was paused");
            var resumingNs = MonotonicClock.NowNs();
            pausable.Resume();
            calls.CountFrom(MonotonicClock.NowNs());
            TargetThreads.Until(() => calls.SinceFrom >= 1_000, "the resumed source recorded fewer than 1,000 calls");
            source.Stop();

            calls.StartsNs.Count(ns => ns >= pausedNs && ns < resumingNs).ShouldBe(0, "calls that started while the source was paused were recorded");
        }
        finally
        {
            target.Kill();
            target.WaitForExit();
        }
    }

    /// <summary>The reads of fd 0 a sink saw: when each started and how long it took.</summary>
    private sealed class Reads(int readNumber) : ISyscallSink
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(long StartNs, long DurationNs)> _reads = new();

        public IReadOnlyCollection<(long StartNs, long DurationNs)> Seen => _reads;

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Number == readNumber && e.Arg0 == 0)
            {
                _reads.Enqueue((e.StartNs, e.DurationNs));
            }
        }

        public void OnLost(long count)
        {
        }
    }

    /// <summary>
    /// A read in flight at the pause ends unseen, and the next one starts unseen; when that one ends after the
    /// resume, its exit must not be paired with the first one's enter (a read "blocked" across the whole pause).
    /// bash reads its stdin one byte per read: each byte sent ends one read, and the next read starts.
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
            TargetThreads.WaitUntilAsleep(target.Id, _ => true, 1, ["read"], "bash's first read"); // before the source: not recorded
            var reads = new Reads(read);
            using var source = Attach(backend, target.Id, reads);
            var pausable = (IPausableSource)source;

            NextRead(target, Send(target, 'a')); // the first read ends (its enter unseen), the second starts, recorded
            pausable.Pause();
            var pausedNs = MonotonicClock.NowNs();
            NextRead(target, Send(target, 'b')); // the second ends unseen, the third starts unseen
            var resumingNs = MonotonicClock.NowNs();
            pausable.Resume();
            Send(target, 'c'); // the third ends after the resume; the fourth starts, recorded
            Send(target, 'd');
            target.WaitForExit(ProcessRunner.DefaultTimeout).ShouldBeTrue("bash did not finish its reads");
            source.Stop();

            reads.Seen.ShouldNotContain(
                r => r.StartNs < pausedNs && r.StartNs + r.DurationNs > resumingNs,
                "a read spanning the pause was recorded: an old enter paired with a new exit");
            reads.Seen.ShouldContain(r => r.StartNs >= resumingNs, "the read that started after the resume was not recorded");
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

    /// <returns>The reads bash had completed before the byte was sent.</returns>
    private static long Send(System.Diagnostics.Process target, char c)
    {
        var before = ReadsCompleted(target.Id);
        target.StandardInput.Write(c);
        target.StandardInput.Flush();
        return before;
    }

    /// <summary>Waits until bash has completed more than <paramref name="before"/> reads and sits in the next one.</summary>
    private static void NextRead(System.Diagnostics.Process target, long before) =>
        TargetThreads.Until(
            () => ReadsCompleted(target.Id) > before && TargetThreads.InSyscalls(target.Id) is [{ State: 'S' } only] && only.Syscall == ReadNumber && only.Arg0 == 0,
            $"bash did not start its read after {before} completed");

    private static int ReadNumber => Advisor.Linux.Syscalls.LinuxTables.Current.TryGetNumber("read", out var read) ? read : -1;

    /// <summary>The read calls the process completed (syscr of /proc/PID/io), 0 before its first.</summary>
    private static long ReadsCompleted(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/io").First(l => l.StartsWith("syscr:", StringComparison.Ordinal))["syscr:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
