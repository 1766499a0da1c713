namespace Scenarios;

/// <summary>
/// ADV010 yield-spin: a hand-rolled spin wait — a consumer calls Thread.Yield in a loop until a producer
/// (about N ms of work) sets a flag. Each Thread.Yield is one sched_yield. The fixed twin waits on an event.
/// </summary>
internal static class YieldSpin
{
    /// <returns>How many times the consumer yielded (its sched_yield calls).</returns>
    public static long Run(int workMs, bool isFixed)
    {
        using var ready = new ManualResetEventSlim();
        var done = 0;
        var producer = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(workMs));
            Volatile.Write(ref done, 1);
            ready.Set();
        })
        { Name = "producer" };
        producer.Start();

        long yields = 0;
        if (isFixed)
        {
            ready.Wait();
        }
        else
        {
            // Bounded by the producer; it always finishes.
            while (Volatile.Read(ref done) == 0)
            {
                Thread.Yield();
                yields++;
            }
        }

        producer.Join();
        return yields;
    }
}
