namespace Advisor.Core.Sources;

/// <summary>
/// A backend that records the target's system calls and delivers them to the sink it was created with.
/// Disposing it detaches: whatever it turned on in the target is off again afterwards.
/// </summary>
public interface ISyscallSource : IDisposable
{
    /// <summary>The backend's name as the user chooses it with --backend: bpf, perf, ptrace, proc.</summary>
    string Name { get; }

    /// <summary>Stops recording, delivers everything still buffered, and detaches.</summary>
    SourceStatistics Stop();
}
