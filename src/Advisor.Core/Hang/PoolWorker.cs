using Advisor.Core.Threads;

namespace Advisor.Core.Hang;

/// <summary>
/// A thread-pool worker judged by where it waits: parked in the pool's own wait it is free; blocked anywhere
/// inside a work item it holds the pool, whether the item's frames are the application's, ASP.NET Core's or a
/// compiled delegate's.
/// </summary>
/// <param name="BlockingCall">The .NET call a blocked worker sits in ("Task.Wait"); null otherwise or when the stack does not say.</param>
/// <param name="Handler">The code that made that call ("MyApp.Orders.Get", "lambda_method1"); null when the stack does not say.</param>
public sealed record PoolWorker(HangThread Thread, WorkerState State, string? BlockingCall, string? Handler)
{
    /// <summary>The pool's workers among the threads, each judged; threads that are not workers are left out.</summary>
    public static IReadOnlyList<PoolWorker> Of(IEnumerable<HangThread> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        return threads.Select(Judge).OfType<PoolWorker>().ToList();
    }

    /// <summary>
    /// The worker's state, or null when the thread is no pool worker: not one by role, gone, or — its whole
    /// stack read — a thread of its own (a LongRunning task's, the pool's gate thread).
    /// </summary>
    public static PoolWorker? Judge(HangThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var stack = thread.Stack;
        if (thread.Role != ThreadRole.ThreadPoolWorker || thread.Activity == ThreadActivity.Gone)
        {
            return null;
        }

        if (stack.Frames.Count == 0)
        {
            return new PoolWorker(thread, WorkerState.Unknown, null, null);
        }

        if (HangStacks.ParkedInPool(stack))
        {
            return new PoolWorker(thread, WorkerState.Parked, null, null);
        }

        // No dispatch loop: a dedicated thread if the stack is whole, else a work item too deep to read to the end.
        if (!HangStacks.RunsWorkItem(stack) && HangStacks.IsWhole(stack))
        {
            return null;
        }

        return thread.Activity == ThreadActivity.Blocked
            ? new PoolWorker(thread, WorkerState.Blocked, HangStacks.BlockingCall(stack), HangStacks.Handler(stack))
            : new PoolWorker(thread, WorkerState.Working, null, HangStacks.Handler(stack));
    }

    /// <summary>"MyApp.Orders.Get → Task.Wait", "Task.Wait" or "MyApp.Orders.Get"; null when neither is known.</summary>
    public string? Site => (Handler, BlockingCall) switch
    {
        ({ } handler, { } call) => $"{handler} → {call}",
        (null, { } call) => call,
        ({ } handler, null) => handler,
        _ => null,
    };
}
