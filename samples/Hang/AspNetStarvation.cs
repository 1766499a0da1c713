using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Hang;

/// <summary>
/// ADV005 the way services meet it: an ASP.NET Core minimal API whose handler, a lambda as users write them,
/// blocks its worker on <c>Task.Delay(250).Wait()</c>, driven by 64 clients in this process that each send
/// the next request as soon as the last one is answered. Every request holds a pool worker; the timers that
/// would end the delays, Kestrel's reads and the clients' continuations queue behind the requests, and the
/// pool adds threads that take new requests and block in turn: the service answers at a trickle. Released
/// by stopping the load: the requests in flight drain, and the service answers at once again.
/// </summary>
internal sealed class AspNetStarvation : IHangScenario
{
    private const int Clients = 64;

    /// <summary>
    /// The pool's ceiling, below the requests in flight, as a container's configuration may set it: uncapped,
    /// the pool grows past the 64 requests and catches up after some seconds, and the stall would end before
    /// anyone could look at it.
    /// </summary>
    private const int MaxWorkers = 32;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<bool>[] _clients = new Task<bool>[Clients];
    private WebApplication? _app;
    private HttpClient? _client;
    private long _answered;
    private int _maxWorkers;

    public string ReadyDetail => _app is { } app ? $" url={app.Urls.First()}" : string.Empty;

    public void Start()
    {
        ThreadPool.GetMaxThreads(out _maxWorkers, out var io);
        if (!ThreadPool.SetMaxThreads(MaxWorkers, io))
        {
            throw new InvalidOperationException($"cannot cap the thread pool at {MaxWorkers} workers");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0)); // loopback only, any free port
        _app = builder.Build();
        _app.MapGet("/orders/{id:int}", (int id) =>
        {
            Task.Delay(250).Wait(); // sync over async: the anti-pattern
            return $"order {id}";
        });
        _app.StartAsync().GetAwaiter().GetResult();

        // No request timeout: a stalled service's requests wait as long as the stall lasts, as wrk's do.
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = Timeout.InfiniteTimeSpan };
        for (int i = 0; i < Clients; i++)
        {
            int client = i;
            _clients[i] = Task.Run(() => Load(client));
        }

        // Long enough for every worker to block and the pool to start injecting threads that block in turn.
        Thread.Sleep(1_500);
    }

    /// <summary>
    /// Stops the load (each client lets its request in flight finish, then sends no more) and lifts the cap:
    /// the pool grows past the blocked requests, the timers run, the requests drain.
    /// </summary>
    public void Release()
    {
        _stop.Cancel();
        ThreadPool.GetMaxThreads(out _, out var io);
        ThreadPool.SetMaxThreads(_maxWorkers, io);
    }

    /// <returns>The clients that ended cleanly (every answer right, and the service answering again), and all the requests answered.</returns>
    public (long Completed, long Result) Finish(TimeSpan timeout)
    {
        bool recovered;
        try
        {
            recovered = Task.WaitAll(_clients, timeout) && _clients.All(c => c.Result)
                && _client!.GetStringAsync(new Uri("/orders/0", UriKind.Relative)).Wait(timeout);
        }
        catch (AggregateException)
        {
            recovered = false; // a request failed: the service did not come back as it was
        }

        _app!.StopAsync().Wait(timeout);
        return (recovered ? Clients : -1, Interlocked.Read(ref _answered));
    }

    public void Dispose()
    {
        _client?.Dispose();
        (_app as IDisposable)?.Dispose();
        _stop.Dispose();
    }

    /// <returns>Whether every answer was the order asked for.</returns>
    private async Task<bool> Load(int client)
    {
        for (int n = 0; !_stop.IsCancellationRequested; n++)
        {
            var id = (client * 100_000) + n;
            var body = await _client!.GetStringAsync(new Uri($"/orders/{id.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative)).ConfigureAwait(false);
            if (body != $"order {id.ToString(CultureInfo.InvariantCulture)}")
            {
                return false;
            }

            Interlocked.Increment(ref _answered);
        }

        return true;
    }
}
