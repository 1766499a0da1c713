using System.Diagnostics;
using System.Globalization;
using Advisor.Core.Aggregation;

namespace Advisor.Benchmarks;

/// <summary>
/// Exact allocation figures for the hot path, read from <see cref="GC.GetAllocatedBytesForCurrentThread"/>
/// around whole passes over the storm, plus a plain Stopwatch throughput for cross-checking the
/// BenchmarkDotNet numbers. Exit code 1 if a warmed pass allocates anything.
/// </summary>
internal static class AllocationCheck
{
    private const int Passes = 5;

    public static int Run(int machineCpus = SyntheticStorm.Cpus)
    {
        var plain = Run(machineCpus, stackDepth: 0);
        Console.WriteLine();
        var withStacks = Run(machineCpus, stackDepth: 16);
        return Math.Max(plain, withStacks);
    }

    private static int Run(int machineCpus, int stackDepth)
    {
        var storm = SyntheticStorm.Create(DecodeAndAggregateBenchmark.N, machineCpus, stackDepth: stackDepth);
        Console.WriteLine(Invariant($"== callchains of {stackDepth} frames per syscall{(stackDepth == 0 ? " (none: --no-stacks)" : "")}"));
        var origin = storm.Events[0].StartNs;
        Console.WriteLine(Invariant($"storm: {storm.Records:N0} perf records from 4 threads, events opened on {machineCpus} CPUs ({storm.PerfBuffer.Length / 1048576.0:0.0} MiB), {storm.Events.Length:N0} syscalls; warm-up prefix {storm.WarmRecords:N0} records"));

        // A pipeline that has seen nothing: what a recording allocates for its first keys, threads and fds.
        var cold = new Pipeline(origin, storm);
        var before = GC.GetAllocatedBytesForCurrentThread();
        cold.Feed(storm.PerfBuffer);
        var coldBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(Invariant($"decode+pair+aggregate, cold pipeline, first pass: {coldBytes:N0} B allocated ({(double)coldBytes / storm.Records:0.000} B/event; one-time state for {cold.Aggregator.Snapshot(origin).Rows.Count} keys)"));

        var worst = 0L;
        var times = new List<double>();
        for (var pass = 0; pass < Passes; pass++)
        {
            var pipeline = new Pipeline(origin, storm);
            pipeline.Feed(storm.PerfBuffer.AsSpan(0, storm.WarmBytes));
            before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            pipeline.Feed(storm.PerfBuffer);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            worst = Math.Max(worst, bytes);
            times.Add(elapsed.TotalSeconds);

            // The same pipeline again: a long recording's steady state.
            before = GC.GetAllocatedBytesForCurrentThread();
            pipeline.Feed(storm.PerfBuffer);
            worst = Math.Max(worst, GC.GetAllocatedBytesForCurrentThread() - before);

            if (pipeline.Decoder.Malformed != 0 || pipeline.Pairer.Unpaired != 0)
            {
                Console.WriteLine(Invariant($"unexpected: malformed={pipeline.Decoder.Malformed} unpaired={pipeline.Pairer.Unpaired}"));
                return 2;
            }
        }

        times.Sort();
        var median = times[times.Count / 2];
        Console.WriteLine(Invariant($"decode+pair+aggregate, warmed pipeline: {worst:N0} B allocated in the worst of {2 * Passes} passes"));
        Console.WriteLine(Invariant($"  median pass {median * 1000:0.0} ms = {median * 1e9 / storm.Records:0.0} ns/event = {storm.Records / median / 1e6:0.0} M events/s ({storm.Events.Length / median / 1e6:0.0} M syscalls/s)"));

        var aggWorst = 0L;
        var aggTimes = new List<double>();
        for (var pass = 0; pass < Passes; pass++)
        {
            var aggregator = new SyscallAggregator(SyntheticStorm.Catalog(), new ConstantIntrospector(), origin);
            foreach (ref readonly var e in storm.Events.AsSpan(0, storm.WarmRecords / 2))
            {
                aggregator.OnSyscall(e);
            }

            before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            foreach (ref readonly var e in storm.Events.AsSpan())
            {
                aggregator.OnSyscall(e);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            aggWorst = Math.Max(aggWorst, GC.GetAllocatedBytesForCurrentThread() - before);
            aggTimes.Add(elapsed.TotalSeconds);
        }

        aggTimes.Sort();
        var aggMedian = aggTimes[aggTimes.Count / 2];
        Console.WriteLine(Invariant($"aggregate only, warmed: {aggWorst:N0} B allocated in the worst of {Passes} passes; median {aggMedian * 1e9 / storm.Events.Length:0.0} ns/syscall = {storm.Events.Length / aggMedian / 1e6:0.0} M syscalls/s"));
        return worst == 0 && aggWorst == 0 ? 0 : 1;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
