using System.Diagnostics;

namespace MetricsService;

/// <summary>
/// The built-in load: one shared HttpClient, <c>concurrency</c> workers that take the next request number
/// and send it when its time comes (request i is due i / rate seconds after the start), so the average rate
/// holds and at most <c>concurrency</c> requests are in flight. Bounded: a fixed number of requests, each with
/// a timeout.
/// </summary>
internal static class LoadClient
{
    /// <returns>The requests answered with a success status.</returns>
    public static async Task<long> RunAsync(Uri baseAddress, int requests, int rate, int concurrency)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        double interval = 1.0 / rate;
        int next = -1;
        long ok = 0;

        async Task WorkAsync()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < requests;)
            {
                var wait = TimeSpan.FromSeconds(i * interval) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }

                try
                {
                    using var response = await client.GetAsync(new Uri($"/orders/{i % 1000}", UriKind.Relative)).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ok);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Counted as not ok; the run goes on and reports it (exit code 1).
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync))).ConfigureAwait(false);
        return ok;
    }
}
