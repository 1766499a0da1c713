using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MetricsService;

/// <summary>
/// The fixed twin: client-side aggregation. Reporting a metric only updates in-memory counters (Interlocked,
/// no lock, no syscall); a flusher sends everything aggregated since the last flush as one datagram, one
/// StatsD line per metric separated by newlines, once per second and once more when disposed. Counters keep
/// their exact totals; a timing becomes its count, mean and maximum over the second.
/// </summary>
internal sealed class AggregatingStatsdClient : IMetrics
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentDictionary<string, Counter> counters = new();
    private readonly ConcurrentDictionary<string, TimingSummary> timings = new();
    private readonly PeriodicTimer timer = new(FlushInterval);
    private readonly Lock flushing = new();
    private readonly Task flusher;
    private long sent;

    public AggregatingStatsdClient(IPEndPoint server)
    {
        socket.Connect(server);
        flusher = FlushPeriodicallyAsync();
    }

    public long DatagramsSent => Interlocked.Read(ref sent);

    public void Increment(string name, long value) => counters.GetOrAdd(name, static _ => new Counter()).Add(value);

    public void Timing(string name, double milliseconds) =>
        timings.GetOrAdd(name, static _ => new TimingSummary()).Add((long)(milliseconds * 1000));

    /// <summary>Stops the flusher, then sends what is left.</summary>
    public void Dispose()
    {
        timer.Dispose(); // ends the flusher's wait
        flusher.GetAwaiter().GetResult();
        Flush();
        socket.Dispose();
    }

    private async Task FlushPeriodicallyAsync()
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            Flush();
        }
    }

    /// <summary>One datagram with every metric that changed since the last flush; nothing when none did.</summary>
    private void Flush()
    {
        lock (flushing)
        {
            var lines = new StringBuilder();
            foreach (var (name, counter) in counters)
            {
                long value = counter.TakeValue();
                if (value != 0)
                {
                    lines.Append(CultureInfo.InvariantCulture, $"{name}:{value}|c\n");
                }
            }

            foreach (var (name, timing) in timings)
            {
                // Taken field by field: a Timing reported meanwhile may have its count in this flush and its time in
                // the next, but never counts twice or not at all.
                var (count, sumMicros, maxMicros) = timing.Take();
                if (count != 0)
                {
                    lines.Append(CultureInfo.InvariantCulture, $"{name}.count:{count}|c\n");
                    lines.Append(CultureInfo.InvariantCulture, $"{name}.mean:{sumMicros / 1000.0 / count:0.###}|ms\n");
                    lines.Append(CultureInfo.InvariantCulture, $"{name}.max:{maxMicros / 1000.0:0.###}|ms\n");
                }
            }

            if (lines.Length > 0)
            {
                socket.Send(Encoding.UTF8.GetBytes(lines.ToString())); // one syscall for the whole second
                Interlocked.Increment(ref sent);
            }
        }
    }

    private sealed class Counter
    {
        private long value;

        public void Add(long amount) => Interlocked.Add(ref value, amount);

        public long TakeValue() => Interlocked.Exchange(ref value, 0);
    }

    private sealed class TimingSummary
    {
        private long count, sumMicros, maxMicros;

        public void Add(long micros)
        {
            Interlocked.Increment(ref count);
            Interlocked.Add(ref sumMicros, micros);
            for (long max = Interlocked.Read(ref maxMicros); micros > max;)
            {
                long seen = Interlocked.CompareExchange(ref maxMicros, micros, max);
                if (seen == max)
                {
                    break;
                }

                max = seen;
            }
        }

        public (long Count, long SumMicros, long MaxMicros) Take() =>
            (Interlocked.Exchange(ref count, 0), Interlocked.Exchange(ref sumMicros, 0), Interlocked.Exchange(ref maxMicros, 0));
    }
}
