namespace Scenarios;

/// <summary>
/// ADV009 polling-sleep: a consumer waits for work by sleeping 1 ms and looking again, N times, while a
/// producer takes about N ms to deliver. The fixed twin waits on an event the producer sets: one wait.
/// </summary>
internal static class PollingSleep
{
    /// <returns>How many times the consumer slept (the pathological loop's clock_nanosleep calls).</returns>
    public static long Run(int polls, bool isFixed)
    {
        using var ready = new ManualResetEventSlim();
        var done = 0;
        var producer = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(polls)); // the work takes about as long as the polls
            Volatile.Write(ref done, 1);
            ready.Set();
        })
        { Name = "producer" };
        producer.Start();

        long sleeps = 0;
        if (isFixed)
        {
            ready.Wait();
        }
        else
        {
            // Bounded: the producer is done after about `polls` ms, or the loop stops at 4 × polls sleeps.
            while (Volatile.Read(ref done) == 0 && sleeps < 4L * polls)
            {
                Thread.Sleep(1);
                sleeps++;
            }
        }

        producer.Join();
        return sleeps;
    }
}
