using Advisor.Core.Processes;
using Advisor.Core.Runtime;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.Core.Recording;

/// <summary>
/// What the live run learned besides the events, as it stood when it was analysed: the stacks named from
/// the target's memory maps and method events (gone with the process), the runtime's events, the threads.
/// </summary>
public sealed record RecordedAnalysis(
    IReadOnlyDictionary<int, CallStack> Stacks,
    RuntimeSnapshot Runtime,
    IReadOnlyDictionary<int, CallStack> RuntimeStacks,
    IReadOnlyList<ThreadInfo> Threads)
{
    /// <summary>The processes of the recording, by pid (absent from recordings made before processes were told apart).</summary>
    public IReadOnlyDictionary<int, TracedProcess>? Processes { get; init; }
}
