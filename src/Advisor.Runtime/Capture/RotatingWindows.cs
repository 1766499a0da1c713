using Advisor.Core.Monitoring;

namespace Advisor.Runtime.Capture;

/// <summary>A watch's calls and runtime events, each aggregated one interval at a time.</summary>
internal sealed record RotatingWindows(IntervalAggregation Syscalls, IntervalRuntimeAggregation Runtime);
