using System.Collections.Concurrent;
using Advisor.Core.Events;
using Advisor.IntegrationTests.Support;
using Advisor.Linux.Perf;
using Advisor.Linux.Syscalls;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.IntegrationTests;

/// <summary>
/// Runtime events and syscalls are joined by thread id and CLOCK_MONOTONIC time; this proves the clocks
/// are one. The LockContention sample throws (ExceptionThrown event) and right after calls Thread.Yield
/// (one sched_yield) on its main thread; the syscall must follow the event by well under a millisecond.
/// </summary>
public sealed class ClockAgreementTests
{
    private const int Markers = 5;
    private const long OneMillisecondNs = 1_000_000;

    [SkippableFact]
    public void An_event_emitted_right_before_a_marker_syscall_lands_within_1_ms_of_it()
    {
        Privileges.RequireTracing();
        LinuxTables.Current.TryGetNumber("sched_yield", out var schedYield).ShouldBeTrue();
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var trigger = Path.Combine(dir.FullName, "go");
        using var target = ProcessRunner.Start(
            "dotnet", ["exec", RepoLayout.Sample("LockContention"), "--count", "0", "--markers", Markers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--start-after", trigger]);
        try
        {
            var syscalls = new YieldSink(schedYield);
            var runtime = new ExceptionSink();
            using var source = PerfSyscallSource.Attach(target.Id, syscalls);
            using var monitor = RuntimeMonitor.Start(new DiagnosticsClient(target.Id), runtime, new ManagedMethodMap());

            File.WriteAllText(trigger, "");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue();
            source.Stop();
            monitor.Stop(targetExited: true);

            var exceptions = runtime.Events.Where(e => e.Tid == target.Id).OrderBy(e => e.TimestampNs).ToList();
            exceptions.Count.ShouldBe(Markers);
            foreach (var thrown in exceptions)
            {
                // The nearest sched_yield of that thread, before or after: a skewed clock must show, not hide.
                var marker = syscalls.Calls
                    .Where(c => c.Tid == thrown.Tid)
                    .MinBy(c => Math.Abs(c.StartNs - thrown.TimestampNs));
                var gapNs = marker.StartNs - thrown.TimestampNs;
                gapNs.ShouldBeInRange(0, OneMillisecondNs, $"sched_yield at {marker.StartNs} vs exception at {thrown.TimestampNs}");
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
