namespace Advisor.Core.Hang;

/// <summary>What a thread did over the triage's sampling window.</summary>
public enum ThreadActivity
{
    /// <summary>Stayed in the same syscall and never ran: waiting for something.</summary>
    Blocked,

    /// <summary>Used CPU: computing, or busy in short syscalls.</summary>
    Running,

    /// <summary>Woke up and went back to sleep: alive, waiting for work between short naps.</summary>
    Waking,

    /// <summary>Stopped by a signal or a debugger.</summary>
    Stopped,

    /// <summary>Exited during the window.</summary>
    Gone,
}
