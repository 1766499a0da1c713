namespace Advisor.Core.Hang;

/// <summary>A managed thread as the runtime shows it: its stack, innermost frame first, and its pool role.</summary>
/// <param name="Request">The HTTP request it is serving, when its stack holds one.</param>
public sealed record ManagedThread(int Tid, int ManagedId, bool IsThreadPoolWorker, Stacks.CallStack Stack, ServedRequest? Request = null)
{
    /// <summary>The fds of the sockets its frames hold (a Socket being read): which connection it waits on.</summary>
    public IReadOnlyList<int> SocketFds { get; init; } = [];
}
