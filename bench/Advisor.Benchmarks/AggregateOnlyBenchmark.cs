using Advisor.Core.Aggregation;
using Advisor.Core.Events;
using BenchmarkDotNet.Attributes;

namespace Advisor.Benchmarks;

/// <summary>
/// <see cref="SyscallAggregator.OnSyscall"/> alone, over completed <see cref="SyscallEvent"/>s built
/// beforehand (the same storm as <see cref="DecodeAndAggregateBenchmark"/>, already paired). One operation is
/// one completed syscall.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(15)]
public class AggregateOnlyBenchmark
{
    public const int Calls = DecodeAndAggregateBenchmark.N / 2;

    private SyscallEvent[] _events = null!;
    private int _warmEvents;
    private SyscallAggregator _aggregator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var storm = SyntheticStorm.Create(DecodeAndAggregateBenchmark.N);
        _events = storm.Events;
        _warmEvents = storm.WarmRecords / 2;
    }

    [IterationSetup]
    public void FreshAggregator()
    {
        _aggregator = new SyscallAggregator(SyntheticStorm.Catalog(), new ConstantIntrospector(), _events[0].StartNs);
        foreach (ref readonly var e in _events.AsSpan(0, _warmEvents))
        {
            _aggregator.OnSyscall(e);
        }
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public long OnSyscall()
    {
        var aggregator = _aggregator;
        foreach (ref readonly var e in _events.AsSpan())
        {
            aggregator.OnSyscall(e);
        }

        return aggregator.EventsTotal;
    }
}
