using System.Collections.Frozen;

namespace Advisor.Core.Syscalls;

/// <summary>The traits of the syscalls the rules reason about, keyed by name so both architectures share them.</summary>
public static class SyscallSemantics
{
    private const SyscallTraits WriteBytes = SyscallTraits.FdArg0 | SyscallTraits.Write | SyscallTraits.ReturnsBytes;
    private const SyscallTraits ReadBytes = SyscallTraits.FdArg0 | SyscallTraits.Read | SyscallTraits.ReturnsBytes;
    private const SyscallTraits Fd = SyscallTraits.FdArg0;
    private const SyscallTraits Timing = SyscallTraits.TimingDependent;

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
        ["flock"] = Fd,
        ["ftruncate"] = Fd,
        ["fallocate"] = Fd,
        ["fadvise64"] = Fd,
        ["getdents64"] = Fd,
        ["connect"] = Fd | SyscallTraits.Connects,
        ["accept"] = Fd | SyscallTraits.ReturnsSocket,
        ["accept4"] = Fd | SyscallTraits.ReturnsSocket,
        ["socket"] = SyscallTraits.ReturnsSocket,
        ["bind"] = Fd,
        ["listen"] = Fd,
        ["shutdown"] = Fd,
        ["setsockopt"] = Fd,
        ["getsockopt"] = Fd,
        ["getsockname"] = Fd,
        ["getpeername"] = Fd,
        ["epoll_ctl"] = Fd,
        ["epoll_wait"] = Fd | Timing,
        ["epoll_pwait"] = Fd | Timing,
        ["epoll_pwait2"] = Fd | Timing,
        ["poll"] = Timing,
        ["ppoll"] = Timing,
        ["select"] = Timing,
        ["pselect6"] = Timing,
        ["futex"] = Timing,
        ["sched_yield"] = Timing,
        ["nanosleep"] = Timing,
        ["clock_nanosleep"] = Timing,
        ["sendfile"] = Fd,
        ["splice"] = Fd,
        ["copy_file_range"] = Fd,
        ["mmap"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.ProtectionArg2,
        ["mprotect"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.ProtectionArg2,
        ["munmap"] = SyscallTraits.MapsLengthArg1,
        ["madvise"] = SyscallTraits.MapsLengthArg1 | SyscallTraits.AdviceArg2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static SyscallTraits Of(string name) => Traits.GetValueOrDefault(name);
}
