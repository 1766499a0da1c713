using System.Runtime.InteropServices;

namespace Advisor.Linux.Bpf;

/// <summary>
/// What the kernel program writes into the ring buffer and reads from its maps, laid out as
/// <c>Program/syscalls.bpf.c</c> declares it (kept in step by hand: both sides say so).
/// </summary>
internal static class BpfRecords
{
    public const uint Call = 1;
    public const uint Path = 2;
    public const uint Name = 3;
    public const uint Stack = 4;

    /// <summary>targets map values: traced, or armed until the process's execve (a launched command).</summary>
    public const uint Traced = 1;
    public const uint Armed = 2;

    /// <summary><c>struct call_record</c>: one completed call.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CallRecord
    {
        public uint Kind;
        public int Pid;
        public int Tid;
        public int Number;
        public long StartNs;
        public long DurationNs;
        public long Return;
        public ulong Arg0;
        public ulong Arg1;
        public ulong Arg2;

        /// <summary>Positive when the thread's last stack record is this call's.</summary>
        public int Stack;
        public uint Reserved;
    }

    /// <summary>
    /// <c>struct stack_record</c> header; <see cref="MaxFrames"/> frames follow (<see cref="Bytes"/> bytes of them
    /// written: user return addresses), then <see cref="Copied"/> bytes of the user stack from <see cref="Base"/>.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StackRecordHeader
    {
        public uint Kind;
        public int Pid;
        public int Tid;
        public uint Bytes;
        public ulong Ip;
        public ulong Sp;
        public ulong Bp;
        public ulong Base;
        public uint Copied;
        public uint Reserved;
    }

    /// <summary><c>MAX_FRAMES</c>: the room for frames in a stack record, whatever number was written.</summary>
    public const int MaxFrames = 64;

    /// <summary><c>STACK_CHUNK</c> and <c>STACK_COPY</c>: the user stack is copied in chunks, up to the record's room.</summary>
    public const int StackChunk = 1024;
    public const int StackCopy = 8192;

    /// <summary><c>struct path_record</c> header; the path (NUL-terminated, up to 256 bytes) follows.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PathRecordHeader
    {
        public uint Kind;
        public int Pid;
        public int Tid;
        public uint Length;
    }

    /// <summary><c>struct name_record</c> header; the name (NUL-terminated, up to 16 bytes) follows.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NameRecordHeader
    {
        public uint Kind;
        public int Pid;
        public int Tid;
    }

    public const int NameLength = 16;

    /// <summary><c>struct config</c>, the one entry of the settings map.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Settings
    {
        public uint Stacks;
        public uint First;
        public uint Every;
        public int OpenAtNumber;
        public int ExitNumber;
        public int ExitGroupNumber;
        public uint CopyChunks;
        public int OnlyThread;
        public uint Epoch;
        public uint Reserved;
    }
}
