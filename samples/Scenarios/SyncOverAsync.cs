namespace Scenarios;

/// <summary>
/// ADV005 threadpool-starvation: N requests on the thread pool, each blocking its worker on asynchronous
/// work with .Wait() (sync over async; Task.Delay stands for the I/O). The pool has as many workers as
/// cores, so requests queue until it injects threads, slowly. The fixed twin awaits: no worker blocks.
/// </summary>
internal static class SyncOverAsync
{
    private const int StepsPerRequest = 3;
    private static readonly TimeSpan Io = TimeSpan.FromMilliseconds(50);

    /// <returns>Requests completed, and how many of their steps blocked a worker.</returns>
    public static (long Done, long Syscalls) Run(int requests, bool isFixed)
    {
        long done = 0;
        var work = new Task[requests];
        for (int i = 0; i < requests; i++)
        {
            work[i] = isFixed
                ? Task.Run(async () =>
                {
                    for (int step = 0; step < StepsPerRequest; step++)
                    {
                        await Task.Delay(Io).ConfigureAwait(false);
                    }

                    Interlocked.Increment(ref done);
                })
                : Task.Run(() =>
                {
                    for (int step = 0; step < StepsPerRequest; step++)
                    {
                        Task.Delay(Io).Wait(); // blocks the pool worker until the timer fires
                    }

                    Interlocked.Increment(ref done);
                });
        }

        Task.WaitAll(work);
        return (done, isFixed ? 0 : (long)requests * StepsPerRequest);
    }
}
