using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Threads;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// ADV015: application threads inside one I/O syscall for longer than the threshold, nothing waking them.
/// Only calls that wait for a peer, a device or a lock holder count: waiting for new work by design
/// (accept, epoll_wait, poll in an event loop, futex on an empty queue) is what idle looks like.
/// </summary>
internal static class StuckIoAnalyzer
{
    private static readonly HashSet<string> IoSyscalls = new(StringComparer.Ordinal)
    {
        "read", "readv", "pread64", "preadv", "preadv2", "recvfrom", "recvmsg",
        "write", "writev", "pwrite64", "pwritev", "sendto", "sendmsg",
        "connect", "flock", "fcntl", "fsync", "fdatasync", "open", "openat",
    };

    public static IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule)
    {
        var minBlockedMs = rule.Thresholds.GetValueOrDefault("minBlockedMs", 1000);
        foreach (var thread in snapshot.Threads)
        {
            if (thread.Activity != ThreadActivity.Blocked
                || thread.BlockedSyscall is not { } syscall
                || !IoSyscalls.Contains(syscall)
                || ThreadRoles.IsRuntimeInternal(thread.Role)
                || thread.BlockedForMs < minBlockedMs)
            {
                continue;
            }

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
