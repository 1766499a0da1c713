using System.Collections.Frozen;

namespace Advisor.Core.Syscalls;

/// <summary>The traits of the syscalls the rules reason about, keyed by name so both architectures share them.</summary>
public static class SyscallSemantics
{
    private const SyscallTraits WriteBytes = SyscallTraits.FdArg0 | SyscallTraits.Write | SyscallTraits.ReturnsBytes;
    private const SyscallTraits ReadBytes = SyscallTraits.FdArg0 | SyscallTraits.Read | SyscallTraits.ReturnsBytes;
    private const SyscallTraits Fd = SyscallTraits.FdArg0;
    private const SyscallTraits Timing = SyscallTraits.TimingDependent;
    private const SyscallTraits TimedWait = SyscallTraits.TimingDependent | SyscallTraits.Waits;

    private static readonly FrozenDictionary<string, SyscallTraits> Traits = new Dictionary<string, SyscallTraits>
    {
        ["write"] = WriteBytes,
        ["pwrite64"] = WriteBytes,
        ["writev"] = WriteBytes,
        ["pwritev"] = WriteBytes,
        ["pwritev2"] = WriteBytes,
        ["send"] = WriteBytes,
        ["sendto"] = WriteBytes,
        ["sendmsg"] = WriteBytes,
        // sendmmsg/recvmmsg return a message count, not bytes.
        ["sendmmsg"] = Fd | SyscallTraits.Write,
        ["read"] = ReadBytes,
        ["pread64"] = ReadBytes,
        ["readv"] = ReadBytes,
        ["preadv"] = ReadBytes,
        ["preadv2"] = ReadBytes,
        ["recv"] = ReadBytes,
        ["recvfrom"] = ReadBytes,
        ["recvmsg"] = ReadBytes,
        ["recvmmsg"] = Fd | SyscallTraits.Read,
        ["fsync"] = Fd | SyscallTraits.Sync,
        ["fdatasync"] = Fd | SyscallTraits.Sync,
        ["sync_file_range"] = Fd | SyscallTraits.Sync,
        ["open"] = SyscallTraits.OpensFlagsArg1,
        ["openat"] = SyscallTraits.OpensFlagsArg2,
        ["close"] = Fd | SyscallTraits.ClosesArg0,
        ["dup2"] = SyscallTraits.ReplacesArg1,
        ["dup3"] = SyscallTraits.ReplacesArg1,
        ["close_range"] = SyscallTraits.ClosesRange,
        ["execve"] = SyscallTraits.Exec,
        ["execveat"] = SyscallTraits.Exec,
        ["lseek"] = Fd,
        ["fstat"] = Fd,
        ["ioctl"] = Fd,
        ["fcntl"] = Fd,
        ["flock"] = Fd | SyscallTraits.Waits,
        ["ftruncate"] = Fd,
        ["fallocate"] = Fd,
        ["fadvise64"] = Fd,
        ["getdents64"] = Fd,
        ["connect"] = Fd | SyscallTraits.Connects,
        ["accept"] = Fd | SyscallTraits.ReturnsSocket | SyscallTraits.Accepts | SyscallTraits.Waits,
        ["accept4"] = Fd | SyscallTraits.ReturnsSocket | SyscallTraits.Accepts | SyscallTraits.Waits,
        ["socket"] = SyscallTraits.ReturnsSocket,
        ["bind"] = Fd,
        ["listen"] = Fd,
        ["shutdown"] = Fd,
        ["setsockopt"] = Fd,
        ["getsockopt"] = Fd,
        ["getsockname"] = Fd,
        ["getpeername"] = Fd,
        ["epoll_ctl"] = Fd,
        ["epoll_wait"] = Fd | TimedWait,
        ["epoll_pwait"] = Fd | TimedWait,
        ["epoll_pwait2"] = Fd | TimedWait,
        ["poll"] = TimedWait,
        ["ppoll"] = TimedWait,
        ["select"] = TimedWait,
        ["pselect6"] = TimedWait,
        ["futex"] = TimedWait,
        ["sched_yield"] = Timing,
        ["nanosleep"] = TimedWait,
        ["clock_nanosleep"] = TimedWait,
        ["sendfile"] = Fd,
        ["splice"] = Fd,
        ["copy_file_range"] = Fd,
        ["mmap"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.ProtectionArg2,
        ["mprotect"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.ProtectionArg2,
        ["munmap"] = SyscallTraits.MapsLengthArg1,
        ["madvise"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.AdviceArg2,
        ["wait4"] = SyscallTraits.Waits,
        ["waitid"] = SyscallTraits.Waits,
        ["pause"] = SyscallTraits.Waits,
        ["rt_sigtimedwait"] = SyscallTraits.Waits,
        ["rt_sigsuspend"] = SyscallTraits.Waits,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static SyscallTraits Of(string name) => Traits.GetValueOrDefault(name);
}
