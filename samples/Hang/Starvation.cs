using System.Runtime.CompilerServices;

namespace Hang;

/// <summary>
/// ADV005: sync over async on the thread pool. 64 requests are queued (Task.Run); each handler blocks its
/// worker on an async load with GetAwaiter().GetResult(), and the load waits for data that has not come (a
/// task completed only on release). Every worker blocks, queued requests wait, and the pool injects one more
/// worker at a time, which blocks in turn. Released by completing the data: each blocked handler returns and
/// its worker runs the next request, which finds the data there.
/// </summary>
internal sealed class Starvation : IHangScenario
{
    private const int Requests = 64;

    // Continuations run on the thread that completes it: the release needs no free pool thread.
    private readonly TaskCompletionSource<int> _data = new();
    private readonly Task<int>[] _requests = new Task<int>[Requests];

    public void Start()
    {
        for (int i = 0; i < Requests; i++)
        {
            _requests[i] = Task.Run(() => Handler.Get(_data.Task));
        }

        // Long enough for the first workers to block and the pool to start injecting.
        Thread.Sleep(1_000);
    }

    public void Release() => _data.SetResult(42);

    public (long Completed, long Result) Finish(TimeSpan timeout)
    {
        bool done = Task.WaitAll(_requests, timeout);
        return (done ? _requests.Count(r => r.IsCompletedSuccessfully) : -1, done ? _requests.Sum(r => (long)r.Result) : 0);
    }

    public void Dispose()
    {
    }
}

internal static class Handler
{
    /// <summary>A synchronous handler calling async code: the anti-pattern.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Get(Task<int> data) => LoadAsync(data).GetAwaiter().GetResult();

    private static async Task<int> LoadAsync(Task<int> data) => await data.ConfigureAwait(false);
}
