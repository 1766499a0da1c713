using System.Runtime.InteropServices;

namespace Advisor.Linux.Ptrace;

/// <summary>ptrace(2) and waitpid(2), with the requests and options the tracer uses.</summary>
internal static unsafe partial class PtraceNative
{
    public const int Seize = 0x4206;
    public const int Interrupt = 0x4207;
    public const int Listen = 0x4208;
    public const int Syscall = 24;
    public const int Detach = 17;
    public const int GetEventMsg = 0x4201;
    public const int GetRegSet = 0x4204;
    public const int GetSyscallInfo = 0x420e;

    public const int OptionTraceSysGood = 0x1;
    public const int OptionTraceClone = 0x8;
    public const int OptionTraceExec = 0x10;

    public const int EventClone = 3;
    public const int EventExec = 4;
    public const int EventStop = 128;

    public const int SyscallInfoEntry = 1;
    public const int SyscallInfoExit = 2;

    // Every thread, not only the ones whose exit signal is SIGCHLD; and only this thread's own tracees, never
    // a child some other thread of the tool is waiting for.
    public const int WaitAll = 0x40000000;
    public const int WaitNoThread = 0x20000000;
    public const int NoHang = 1;

    public const int SigTrap = 5;
    public const int SigStop = 19;
    public const int SigTstp = 20;
    public const int SigTtin = 21;
    public const int SigTtou = 22;

    /// <summary>NT_PRSTATUS: the general registers, for the frame pointer.</summary>
    public const int NtPrStatus = 1;

    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "ptrace", SetLastError = true)]
    public static partial long Call(long request, int pid, nint address, nint data);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    /// <summary>struct ptrace_syscall_info: what a syscall-stop is (entry or exit) and its number, arguments or result.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 88)]
    public struct SyscallInfo
    {
        [FieldOffset(0)] public byte Op;
        [FieldOffset(4)] public uint Arch;
        [FieldOffset(8)] public ulong InstructionPointer;
        [FieldOffset(16)] public ulong StackPointer;
        [FieldOffset(24)] public ulong Number; // entry
        [FieldOffset(32)] public ulong Arg0;
        [FieldOffset(40)] public ulong Arg1;
        [FieldOffset(48)] public ulong Arg2;
        [FieldOffset(24)] public long ReturnValue; // exit
        [FieldOffset(32)] public byte IsError;
    }
}
