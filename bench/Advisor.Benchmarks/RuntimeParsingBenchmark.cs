using Advisor.Core.Aggregation;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;
using BenchmarkDotNet.Attributes;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Advisor.Benchmarks;

/// <summary>
/// The tool's side of the runtime sessions: an EventPipe stream parsed by TraceEvent and routed into the
/// runtime aggregation, as the live session does, from a stream recorded once from this very process (so
/// every run parses the same events; delete <c>$TMPDIR/advisor-bench-*.nettrace</c> to record anew). One
/// operation parses the whole stream: divide by the events it holds (printed at set-up) for a cost per event.
/// </summary>
/// <remarks>
/// The streams: <c>events</c> is the default session without stacks under thread-pool work (work items,
/// hill climbing, GCs); <c>events+workitems</c> the same with FrameworkEventSource's two events per work item;
/// <c>contention</c> the session with stacks under lock contention and blocking waits. No rundown: it is
/// written once, at the end, whatever the load.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class RuntimeParsingBenchmark
{
    private const int WorkItems = 200_000;

    private string _path = null!;
    private RuntimeEventParts _parts;
    private bool _stacks;

    [Params("events", "events+workitems", "contention")]
    public string Stream { get; set; } = "events";

    [GlobalSetup]
    public void Setup()
    {
        (_parts, var configuration) = Stream switch
        {
            "events" => (RuntimeEventParts.Default & ~RuntimeProviders.WithStacks, RuntimeProviders.Events(RuntimeEventParts.Default)),
            "events+workitems" => (RuntimeEventParts.All & ~RuntimeProviders.WithStacks, RuntimeProviders.Events(RuntimeEventParts.All)),
            "contention" => (RuntimeProviders.WithStacks, RuntimeProviders.Contention(RuntimeEventParts.Default)!),
            _ => throw new ArgumentException($"no stream {Stream}"),
        };
        _stacks = configuration.RequestStackwalk;
        _path = Path.Combine(Path.GetTempPath(), $"advisor-bench-{Stream.Replace('+', '-')}.nettrace");
        if (!File.Exists(_path))
        {
            Record(new EventPipeSessionConfiguration(configuration.Providers, configuration.CircularBufferSizeInMB, requestRundown: false, requestStackwalk: _stacks));
        }

        Console.WriteLine($"// {Stream}: {Count()} events in {new FileInfo(_path).Length:N0} bytes ({_path})");
    }

    /// <summary>TraceEvent reading the stream with nobody subscribed: the floor the routing adds to.</summary>
    [Benchmark(Baseline = true)]
    public long Read()
    {
        using var source = new EventPipeEventSource(_path);
        source.Process();
        return source.EventsLost;
    }

    [Benchmark]
    public long Parse()
    {
        var aggregator = new RuntimeAggregator();
        using var source = new EventPipeEventSource(_path);
        ClrEventRouter.Attach(source, aggregator, new ManagedMethodMap(), _stacks, _parts);
        source.Process();
        return source.EventsLost;
    }

    private long Count()
    {
        long events = 0;
        using var source = new EventPipeEventSource(_path);
        source.AllEvents += _ => events++;
        source.Process();
        return events;
    }

    /// <summary>Traces this process while it queues work items, allocates, contends on a lock and blocks on events.</summary>
    private void Record(EventPipeSessionConfiguration configuration)
    {
        var partial = _path + ".part";
        using (var session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(configuration))
        {
            using var file = File.Create(partial);
            var copy = session.EventStream.CopyToAsync(file);
            if (_stacks)
            {
                Contend(TimeSpan.FromSeconds(2));
            }
            else
            {
                QueueWork();
            }

            session.Stop();
            copy.Wait();
        }

        File.Move(partial, _path, overwrite: true);
    }

    private static void QueueWork()
    {
        using var done = new CountdownEvent(WorkItems);
        for (var i = 0; i < WorkItems; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => ((CountdownEvent)state!).Signal(), done);
            if (i % 64 == 0)
            {
                GC.KeepAlive(new byte[32 * 1024]); // some garbage, for collections
            }
        }

        done.Wait();
    }

    private static void Contend(TimeSpan duration)
    {
        var gate = new object();
        var until = DateTime.UtcNow + duration;
        long counter = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            using var signal = new ManualResetEventSlim(false);
            while (DateTime.UtcNow < until)
            {
                for (var i = 0; i < 1_000; i++)
                {
                    lock (gate)
                    {
                        counter++;
                    }
                }

                signal.Wait(TimeSpan.FromMilliseconds(1)); // a blocking wait, as a worker's .Wait() is
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        GC.KeepAlive(counter);
    }
}
