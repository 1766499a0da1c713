using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Recording;
using Advisor.Core.Sources;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Sessions;

/// <summary>Runs a source into the aggregation until the target exits, the duration passes, or the user stops it.</summary>
internal static class Recorder
{
    public static async Task<RecordingOutcome> RecordAsync(
        ISyscallSource source,
        SyscallAggregator aggregator,
        Task targetExited,
        TimeSpan? duration,
        RecordingProgress progress,
        TargetWatcher watcher,
        ProcessTree tree,
        CancellationToken cancel)
    {
        var stopped = new TaskCompletionSource();
        await using var registration = cancel.Register(() => stopped.TrySetResult());
        var timer = duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;

        // Progress every 250 ms; the target is looked at every 25 ms until it is identified, because a short
        // command can load the runtime and exit between two progress ticks and would be reported as not .NET
        // (for the first 2 s only: a target that is not .NET by then most likely never will be).
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        Task first;
        for (var ticks = 1; ; ticks++)
        {
            var next = tick.WaitForNextTickAsync(CancellationToken.None).AsTask();
            first = await Task.WhenAny(targetExited, timer, stopped.Task, next).ConfigureAwait(false);
            if (first != next)
            {
                break;
            }

            if (ticks % 10 == 0)
            {
                progress.Update(aggregator.EventsTotal, aggregator.LostEvents);
            }

            if (ticks % 10 == 0 || (!watcher.Identified && ticks < 80))
            {
                watcher.Poll();
            }

            // Children and exec'd programs are looked at as they appear: a testhost may live a second.
            while (aggregator.TryTakeNewProcess(out var pid))
            {
                tree.Saw(pid);
            }

            tree.Poll();
        }

        var reason = first == targetExited ? StopReason.TargetExited
            : first == timer ? StopReason.DurationElapsed
            : StopReason.Interrupted;
        var statistics = source.Stop();
        progress.Done(aggregator.EventsTotal, aggregator.LostEvents);
        return new RecordingOutcome(aggregator.Snapshot(MonotonicClock.NowNs()), statistics, reason);
    }
}
