using Advisor.Core.Aggregation;
using BenchmarkDotNet.Attributes;

namespace Advisor.Benchmarks;

/// <summary>
/// The whole per-event hot path of a recording: perf sample records of raw_syscalls:sys_enter/sys_exit,
/// decoded with <c>PerfRecordDecoder.Decode</c> into a real <c>SyscallPairer</c> feeding a real
/// <see cref="SyscallAggregator"/>. One operation is one perf record (enter or exit), so the mean reads as
/// ns per event; a completed syscall is two events.
/// </summary>
/// <remarks>
/// The aggregator keeps state, so every iteration gets a fresh pipeline in <see cref="FreshPipeline"/>,
/// warmed with the storm's first ~20,000 records (every key, thread and errno it will see), so the
/// measured pass is the steady state of a long recording. What the warm-up itself allocates is reported
/// by <c>--alloc-check</c> (see Program.cs).
/// <see cref="MachineCpus"/> is the number of CPUs the perf source opened events on (one enter and one exit
/// event per thread per CPU, all registered in <c>EventOwners</c>): 2 is this benchmark's box, 64 a large
/// server. The storm itself is the same 4 threads on 2 CPUs either way.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(15)]
public class DecodeAndAggregateBenchmark
{
    public const int N = 1_000_000;

    private SyntheticStorm _storm = null!;
    private Pipeline _pipeline = null!;

    [Params(2, 64)]
    public int MachineCpus { get; set; }

    /// <summary>Frames per syscall's callchain: 0 is `--no-stacks`, 16 a typical .NET call site.</summary>
    [Params(0, 16)]
    public int StackDepth { get; set; }

    [GlobalSetup]
    public void Setup() => _storm = SyntheticStorm.Create(N, MachineCpus, stackDepth: StackDepth);

    [IterationSetup]
    public void FreshPipeline()
    {
        _pipeline = new Pipeline(_storm.Events[0].StartNs, _storm);
        _pipeline.Feed(_storm.PerfBuffer.AsSpan(0, _storm.WarmBytes));
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long DecodePairAggregate()
    {
        _pipeline.Feed(_storm.PerfBuffer);
        return _pipeline.Aggregator.EventsTotal;
    }
}
