namespace OrdersService;

/// <summary>
/// The built-in load: one shared HttpClient and <c>concurrency</c> workers, each sending the next request as
/// soon as its last one is answered, for customers 1, 2, … round-robin. Bounded: a fixed number of requests,
/// each with a timeout.
/// </summary>
internal static class LoadClient
{
    /// <returns>The requests answered with a success status.</returns>
    public static async Task<long> RunAsync(Uri baseAddress, string route, int requests, int concurrency)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        int next = -1;
        long ok = 0;

        async Task WorkAsync()
        {
            for (int i; (i = Interlocked.Increment(ref next)) < requests;)
            {
                int customer = 1 + (i % OrderSummaries.Customers);
                try
                {
                    using var response = await client.GetAsync(new Uri($"/customers/{customer}/{route}", UriKind.Relative)).ConfigureAwait(false);
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
