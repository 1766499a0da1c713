using Advisor.Benchmarks;
using BenchmarkDotNet.Running;

// `--alloc-check` measures exactly what the pipeline allocates (no BenchmarkDotNet rounding) and prints a
// single-threaded events/s figure; anything else goes to BenchmarkDotNet.
if (args is ["--alloc-check", ..])
{
    return AllocationCheck.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
