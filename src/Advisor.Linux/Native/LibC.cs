using System.Runtime.InteropServices;

namespace Advisor.Linux.Native;

/// <summary>
/// The few libc entry points the sampler needs. The tool must not depend on perf/strace binaries, so
/// perf_event_open, mmap and poll are reached directly.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x01;
    public static readonly nint MapFailed = -1;

    public const short PollIn = 0x001;

    public const int SigKill = 9;
    public const int SigCont = 18;
    public const int SigStop = 19;

    public const int Esrch = 3;
    public const int Eintr = 4;
    public const int Eacces = 13;
    public const int Enoent = 2;
    public const int Enomem = 12;
    public const int Einval = 22;
    public const int Emfile = 24;
    public const int Eperm = 1;
    public const int Enosys = 38;
    public const int E2big = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    // syscall(2) is variadic; every argument here is an integer or pointer, which all supported ABIs
    // (System V x86_64, AAPCS64 on Linux) pass the same way as for a fixed-argument function.
    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, void* arg0, int arg1, int arg2, int arg3, ulong arg4);

    [LibraryImport(Lib, EntryPoint = "getppid")]
    public static partial int GetParentPid();

    [LibraryImport(Lib, EntryPoint = "gettid")]
    public static partial int GetThreadId();

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, nint arg);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, ulong count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "execvp", SetLastError = true)]
    public static partial int Execvp(nint file, nint* argv);

    // execvp passes the C environment on; .NET's Environment.SetEnvironmentVariable does not change it.
    [LibraryImport(Lib, EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Setenv(string name, string value, int overwrite);

    [LibraryImport(Lib, EntryPoint = "unsetenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unsetenv(string name);

    [LibraryImport(Lib, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fileSystemType, ulong flags, nint data);

    /// <summary>The errno of the last call, as a message a user can read (strerror).</summary>
    public static string LastErrorMessage(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
