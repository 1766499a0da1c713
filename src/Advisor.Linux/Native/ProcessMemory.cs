using System.Runtime.InteropServices;

namespace Advisor.Linux.Native;

/// <summary>process_vm_readv(2): another process's memory read without stopping it (a path an open call was given, a copied stack).</summary>
internal static unsafe partial class ProcessMemory
{
    [LibraryImport("libc", EntryPoint = "process_vm_readv", SetLastError = true)]
    public static partial nint Read(int pid, IoVec* local, ulong localCount, IoVec* remote, ulong remoteCount, ulong flags);

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public nint Base;
        public nuint Length;
    }
}
