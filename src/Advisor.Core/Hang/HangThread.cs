using Advisor.Core.Threads;

namespace Advisor.Core.Hang;

/// <summary>One thread of the triage: the two observations joined with the runtime's view of it.</summary>
/// <param name="BlockedSyscall">The syscall it sat in through the whole window; null unless <see cref="Activity"/> is Blocked.</param>
/// <param name="BlockedFd">The fd that syscall waits on, if it takes one.</param>
/// <param name="BlockedOn">What it waits on, made readable: the fd's path or socket endpoint (and a file lock's holder), the futex address.</param>
/// <param name="BlockedForMs">How long it has been in it: since it last ran when the kernel says, at least the window otherwise.</param>
/// <param name="CpuMs">CPU time it used during the window.</param>
/// <param name="Stack">Its managed stack, innermost first; empty when not a managed thread or not readable.</param>
/// <param name="Request">The HTTP request it is serving, as the runtime shows it; null when none or not readable.</param>
public sealed record HangThread(
    int Tid,
    string Name,
    ThreadRole Role,
    ThreadActivity Activity,
    char State,
    string Wchan,
    string? BlockedSyscall,
    int? BlockedFd,
    string? BlockedOn,
    double? BlockedForMs,
    double CpuMs,
    Stacks.CallStack Stack,
    ServedRequest? Request = null)
{
    /// <summary>The fds of the sockets its managed frames hold, as the runtime showed them; empty when none or not readable.</summary>
    public IReadOnlyList<int> SocketFds { get; init; } = [];
}
