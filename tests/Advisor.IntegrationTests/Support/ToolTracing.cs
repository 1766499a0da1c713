using System.Diagnostics;

namespace Advisor.IntegrationTests.Support;

/// <summary>
/// The moment a tool the test started has its syscall source in place: the source's own thread exists — bpf's and
/// perf's drain, ptrace's tracer, proc's sampler — which each backend starts only once it is attached (bpf after its
/// last program, sys_enter; perf after every thread of the target has its events). From then on a target told to
/// start its work is seen from its first call.
/// </summary>
internal static class ToolTracing
{
    /// <summary>How long a tool may take to stop on a signal: generous, the stop is what is checked, not its speed.</summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);

    /// <param name="backend">The backend the tool was asked for, or <see cref="HostBackend.Name"/> for auto.</param>
    public static void WaitFor(Process tool, string backend)
    {
        // Thread names are cut to 15 bytes: "advisor bpf dra", "advisor perf dr", "advisor ptrace ", "advisor proc sa".
        var name = $"advisor {backend} ";
        name = name[..Math.Min(name.Length, 15)];
        TargetThreads.Until(
            () => tool.HasExited || TargetThreads.Names(tool.Id).Any(n => n.StartsWith(name, StringComparison.Ordinal)),
            $"the tool did not attach its {backend} source within {TargetThreads.Patience.TotalSeconds} s");
        tool.HasExited.ShouldBeFalse($"the tool exited before it attached its {backend} source (exit {(tool.HasExited ? tool.ExitCode : 0)})");
    }

    /// <summary>
    /// Whether a monitor recording windows with the bpf backend is inside one: its sys_enter program is attached
    /// (detached while paused). perf's pause disables its events, which shows nowhere outside the tool.
    /// </summary>
    public static bool InBpfWindow(Process tool) => LoadedBpf.AttachedBy(tool.Id).Contains("sys_enter");
}
