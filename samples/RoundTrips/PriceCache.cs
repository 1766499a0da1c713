using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace RoundTrips;

/// <summary>
/// ADV019 against Redis (StackExchange.Redis): <see cref="LookupEach"/> reads each price with its own
/// synchronous GET, a round trip per key; <see cref="LookupBatched"/> reads them with MGET, 1000 keys a command.
/// </summary>
internal sealed class PriceCache : IRoundTrips
{
    private const int Chunk = 1000;

    private readonly ConnectionMultiplexer redis;
    private readonly IDatabase database;
    private readonly RedisKey[] keys;
    private long total;

    /// <summary>Setup: connects and stores <paramref name="items"/> prices (MSETs of 1000, sent together).</summary>
    public PriceCache(string host, int port, int items)
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = true, ConnectTimeout = 10_000, SyncTimeout = 10_000 };
        options.EndPoints.Add(host, port);
        redis = ConnectionMultiplexer.Connect(options);
        database = redis.GetDatabase();
        keys = [.. Enumerable.Range(0, items).Select(i => new RedisKey($"advisor:price:{i}"))];
        // Pipelined: the commands go out back to back and their answers are awaited together.
        var stores = keys.Select((key, i) => new KeyValuePair<RedisKey, RedisValue>(key, Price(i)))
            .Chunk(Chunk)
            .Select(chunk => database.StringSetAsync(chunk))
            .ToArray();
        database.WaitAll(stores);
    }

    public long Run(int items, bool isFixed) => isFixed ? LookupBatched() : LookupEach();

    /// <summary>The pathology: one GET per key, each waited for before the next is sent.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // so that stacks name it
    public long LookupEach()
    {
        long sum = 0;
        foreach (var key in keys)
        {
            sum += (long)database.StringGet(key);
        }

        total = sum;
        return keys.Length;
    }

    /// <summary>The fixed twin: MGET of 1000 keys at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long LookupBatched()
    {
        long sum = 0, exchanges = 0;
        foreach (var chunk in keys.Chunk(Chunk))
        {
            foreach (var value in database.StringGet(chunk))
            {
                sum += (long)value;
            }

            exchanges++;
        }

        total = sum;
        return exchanges;
    }

    /// <summary>The sum of the prices read.</summary>
    public long Result() => total;

    /// <summary>The price stored under a key: deterministic, so both modes read the same total.</summary>
    public static long Price(int item) => QuoteProtocol.Quote(item);

    public void Dispose() => redis.Dispose();
}
