using Advisor.Cli.Rendering;
using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using Advisor.Core.Sources;

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
        CancellationToken cancel)
    {
        var stopped = new TaskCompletionSource();
        await using var registration = cancel.Register(() => stopped.TrySetResult());
        var timer = duration is { } d ? Task.Delay(d, CancellationToken.None) : new TaskCompletionSource().Task;

        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        Task first;
        while (true)
        {
            var next = tick.WaitForNextTickAsync(CancellationToken.None).AsTask();
            first = await Task.WhenAny(targetExited, timer, stopped.Task, next).ConfigureAwait(false);
            if (first != next)
            {
                break;
            }

            progress.Update(aggregator.EventsTotal, aggregator.LostEvents);
            watcher.Poll();
        }

        var reason = first == targetExited ? StopReason.TargetExited
            : first == timer ? StopReason.DurationElapsed
            : StopReason.Interrupted;
        var statistics = source.Stop();
        progress.Done(aggregator.EventsTotal, aggregator.LostEvents);
        return new RecordingOutcome(aggregator.Snapshot(MonotonicClock.NowNs()), statistics, reason);
    }
}
