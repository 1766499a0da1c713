using System.Collections.Concurrent;
using Advisor.Core.Events;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Bpf;
using Advisor.Linux.Perf;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.IntegrationTests;

/// <summary>
/// Runtime events and syscalls are joined by thread id and CLOCK_MONOTONIC time; this proves the clocks
/// are one, for each backend the host has. The LockContention sample throws (ExceptionThrown event) and right
/// after calls Thread.Yield (one sched_yield) on its main thread, then pauses 20 ms before the next pair: each
/// marker syscall must come after its event and before the next event. Ordering, not speed: a loaded machine may
/// delay the syscall, but no clock that is one with the other puts it before its event or past the next.
/// </summary>
public sealed class ClockAgreementTests
{
    private const int Markers = 5;

    /// <summary>perf everywhere; bpf where the host has it (a kernel with BTF, libbpf, the rights).</summary>
    public static TheoryData<string> Backends => HostBackend.ShouldHaveBpf ? ["bpf", "perf"] : ["perf"];

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Each_marker_syscall_falls_after_its_runtime_event_and_before_the_next(string backend)
    {
        Privileges.RequireBackend(backend);
        LinuxTables.Current.TryGetNumber("sched_yield", out var schedYield).ShouldBeTrue();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var trigger = Path.Combine(dir.FullName, "go");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("LockContention"), "--count", "0", "--markers", Markers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--start-after", trigger]);
        try
        {
            DiagnosticServer.WaitFor(target);
            var syscalls = new YieldSink(schedYield);
            var runtime = new ExceptionSink();
            using ISyscallSource source = backend == "bpf"
                ? BpfSyscallSource.Attach(target.Id, syscalls, new BpfOptions(null, StackMode.None))
                : PerfSyscallSource.Attach(target.Id, syscalls);
            using var monitor = RuntimeMonitor.Start(new DiagnosticsClient(target.Id), runtime, new ManagedMethodMap());

            File.WriteAllText(trigger, "");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue();
            source.Stop();
            monitor.Stop(targetExited: true);

            var exceptions = runtime.Events.Where(e => e.Tid == target.Id).OrderBy(e => e.TimestampNs).ToList();
            exceptions.Count.ShouldBe(Markers);
            for (var i = 0; i < exceptions.Count; i++)
            {
                // The nearest sched_yield of that thread, before or after: a skewed clock must show, not hide.
                var thrown = exceptions[i];
                var marker = syscalls.Calls
                    .Where(c => c.Tid == thrown.Tid)
                    .MinBy(c => Math.Abs(c.StartNs - thrown.TimestampNs));
                var what = $"{backend}: marker {i}'s sched_yield at {marker.StartNs} vs its exception at {thrown.TimestampNs}";
                marker.StartNs.ShouldBeGreaterThanOrEqualTo(thrown.TimestampNs, what);
                if (i + 1 < exceptions.Count)
                {
                    marker.StartNs.ShouldBeLessThan(exceptions[i + 1].TimestampNs, $"{what} and the next exception at {exceptions[i + 1].TimestampNs}");
                }
            }
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill();
            }

            dir.Delete(recursive: true);
        }
    }

    private sealed class YieldSink(int schedYield) : ISyscallSink
    {
        public ConcurrentQueue<SyscallEvent> Calls { get; } = new();

        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Number == schedYield)
            {
                Calls.Enqueue(e);
            }
        }

        public void OnLost(long count) => throw new InvalidOperationException($"{count} syscall records lost");
    }

    private sealed class ExceptionSink : IRuntimeEventSink
    {
        public ConcurrentQueue<RuntimeEvent> Events { get; } = new();

        public void OnSessionStarted()
        {
        }

        public void OnRuntimeEvent(in RuntimeEvent e, ReadOnlySpan<ulong> stack)
        {
            if (e.Kind == RuntimeEventKind.ExceptionThrown)
            {
                Events.Enqueue(e);
            }
        }
    }
}
