using Advisor.Core.Stacks;
using Advisor.Runtime.Symbols;
using BenchmarkDotNet.Attributes;

namespace Advisor.Benchmarks;

/// <summary>
/// The two halves of call-site attribution: interning each syscall's stack while recording (the hot path: a
/// storm repeats a few stacks millions of times) and naming each distinct stack once at report time.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(5)]
[IterationCount(15)]
public class StacksBenchmark
{
    /// <summary>Stacks interned per invocation: a storm's calls, over a handful of distinct stacks.</summary>
    public const int Calls = 1_000_000;

    /// <summary>Distinct stacks named per invocation (report time).</summary>
    public const int DistinctStacks = 1_000;

    private const int Depth = 24;
    private const int Pid = 4_000_001; // no such process: the names come from the method map alone
    private const int Methods = 20_000;

    private ulong[][] _stormStacks = null!;
    private ulong[][] _distinctStacks = null!;
    private StackTable _table = null!;
    private ManagedMethodMap _methods = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);

        // Methods laid out one after another from 0x7f00_0000_0000, 256 bytes each, as the JIT's code heap has them.
        _methods = new ManagedMethodMap();
        for (var i = 0; i < Methods; i++)
        {
            _methods.Add(Pid, Address(i), 256, i % 3 == 0 ? "System.IO.FileStream" : "MyApp.Service", $"Method{i}");
        }

        ulong[] RandomStack() => Enumerable.Range(0, Depth).Select(_ => Address(random.Next(Methods)) + 17).ToArray();
        _stormStacks = Enumerable.Range(0, 8).Select(_ => RandomStack()).ToArray();
        _distinctStacks = Enumerable.Range(0, DistinctStacks).Select(_ => RandomStack()).ToArray();
    }

    [IterationSetup(Target = nameof(Intern))]
    public void FreshTable()
    {
        _table = new StackTable();
        foreach (var stack in _stormStacks)
        {
            _table.Intern(Pid, stack);
        }
    }

    /// <summary>One operation: one syscall's stack, already seen (the storm's steady state).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Intern()
    {
        var table = _table;
        var stacks = _stormStacks;
        var id = 0;
        for (var i = 0; i < Calls; i++)
        {
            id = table.Intern(Pid, stacks[i & 7]);
        }

        return id;
    }

    /// <summary>One operation: one distinct stack named (binary search per frame, frames built once).</summary>
    [Benchmark(OperationsPerInvoke = DistinctStacks)]
    public int Symbolize()
    {
        var symbolizer = new StackSymbolizer(_methods, new MapsHistory(), Pid);
        var frames = 0;
        foreach (var stack in _distinctStacks)
        {
            frames += symbolizer.Symbolize(Pid, stack).Frames.Count;
        }

        return frames;
    }

    private static ulong Address(int method) => 0x7f00_0000_0000UL + ((ulong)method * 256);
}
