using Advisor.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// `--alloc-check [CPUS]` measures exactly what the pipeline allocates (no BenchmarkDotNet rounding) and prints
// a single-threaded events/s figure, for events opened on CPUS CPUs (default 2); anything else goes to
// BenchmarkDotNet.
if (args is ["--alloc-check", .. var rest])
{
    return AllocationCheck.Run(rest is [var cpus] ? int.Parse(cpus, System.Globalization.CultureInfo.InvariantCulture) : SyntheticStorm.Cpus);
}

// Results go next to this project (bench/Advisor.Benchmarks/BenchmarkDotNet.Artifacts, git-ignored), not into
// whatever directory `dotnet run` was started from; --artifacts still overrides it.
var projectDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
