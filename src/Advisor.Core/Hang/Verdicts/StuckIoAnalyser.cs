using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// Threads stuck in I/O (rules/ADV015-hung-thread.yaml): application threads inside one I/O syscall for longer
/// than the threshold, nothing waking them, and threads waiting that long for a server's answer
/// (<see cref="ServerWait"/>), whether in recv or, reading a non-blocking socket synchronously, in a futex.
/// Only calls that wait for a peer, a device or a lock holder count: waiting for new work by design
/// (accept, epoll_wait, poll in an event loop, futex on an empty queue) is what idle looks like.
/// </summary>
internal sealed class StuckIoAnalyser : IHangAnalyser
{
    private static readonly HashSet<string> IoSyscalls = new(StringComparer.Ordinal)
    {
        "read", "readv", "pread64", "preadv", "preadv2", "recvfrom", "recvmsg",
        "write", "writev", "pwrite64", "pwritev", "sendto", "sendmsg",
        "connect", "flock", "fcntl", "fsync", "fdatasync", "open", "openat",
    };

    public AnalyserDescriptor Descriptor => AnalyserDescriptor.StuckIo;

    public VerdictKind Verdict => VerdictKind.BlockedOnIo;

    public string NextStep =>
        "Check the other end shown (the endpoint, or the process holding the lock): it is not answering. Then give the call a timeout or cancellation so the thread cannot wait forever.";

    public IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule)
    {
        var minBlockedMs = AnalyserDescriptor.MinBlockedMs.In(rule);
        foreach (var thread in snapshot.Threads)
        {
            if (thread.Activity != ThreadActivity.Blocked
                || thread.BlockedSyscall is not { } syscall
                || ThreadRoles.IsRuntimeInternal(thread.Role)
                || thread.BlockedForMs < minBlockedMs)
            {
                continue;
            }

            if (ServerWait.Of(thread, snapshot.Sockets) is { } wait)
            {
                yield return Waiting(rule, thread, syscall, wait);
            }
            else if (IoSyscalls.Contains(syscall))
            {
                var on = (thread.BlockedFd, thread.BlockedOn) switch
                {
                    ({ } fd, { } what) => $" on fd {fd} {what}",
                    ({ } fd, null) => $" on fd {fd}",
                    _ => "",
                };
                var message = $"{HangFindings.Name(thread)} has been blocked {HangFindings.Duration(thread.BlockedForMs)} in {syscall}{on}{HangFindings.From(thread)}";
                yield return HangFindings.Create(rule, message, [thread], syscall, thread.BlockedFd, thread.BlockedOn);
            }
        }
    }

    /// <summary>For a thread waiting on a server, what to look at there and which timeout bounds the wait.</summary>
    public string NextStepFor(HangSnapshot snapshot, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(finding);
        var tid = finding.Evidence.Threads.Count == 1 ? finding.Evidence.Threads[0].Tid : (int?)null;
        return snapshot.Threads.FirstOrDefault(t => t.Tid == tid) is { } thread && ServerWait.Of(thread, snapshot.Sockets) is { } wait
            ? ServerNextStep.For(wait)
            : NextStep;
    }

    /// <summary>"order-job (tid 4242) has been waiting 12 s for PostgreSQL at 127.0.0.1:5432 (Npgsql) in OrderJob.Settle → NpgsqlCommand.ExecuteNonQuery; …".</summary>
    private static Finding Waiting(RuleDefinition rule, HangThread thread, string syscall, ServerWait wait)
    {
        var caller = wait.Caller is { } site ? $" in {site}" : "";
        var connection = wait.Connection is { } socket ? $", its connection fd {socket.Fd} {socket.Description}" : "";
        var message = $"{HangFindings.Name(thread)} has been waiting {HangFindings.Duration(thread.BlockedForMs)} for {wait.Server}{caller}; blocked in {syscall}{connection}";
        return HangFindings.Create(rule, message, [thread], syscall, wait.Connection?.Fd, wait.Connection?.Description);
    }
}
