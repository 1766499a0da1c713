namespace Advisor.Linux.Ptrace;

/// <summary>A waitpid status word, read as the W* macros of sys/wait.h read it.</summary>
internal readonly record struct WaitStatus(int Raw)
{
    public bool Exited => (Raw & 0x7f) == 0;

    public bool Killed => (Raw & 0x7f) is not 0 and not 0x7f;

    public bool Stopped => (Raw & 0xff) == 0x7f;

    public int StopSignal => (Raw >> 8) & 0xff;

    /// <summary>The PTRACE_EVENT_* of an event-stop, 0 for any other stop.</summary>
    public int Event => (Raw >> 16) & 0xff;

    /// <summary>A syscall entry or exit (PTRACE_O_TRACESYSGOOD sets bit 7 of the stop signal).</summary>
    public bool IsSyscallStop => Stopped && StopSignal == (PtraceNative.SigTrap | 0x80);

    /// <summary>A group-stop (SIGSTOP and its kin) seen by a PTRACE_SEIZE tracer: kept with PTRACE_LISTEN.</summary>
    public bool IsGroupStop => Stopped && Event == PtraceNative.EventStop
        && StopSignal is PtraceNative.SigStop or PtraceNative.SigTstp or PtraceNative.SigTtin or PtraceNative.SigTtou;
}
