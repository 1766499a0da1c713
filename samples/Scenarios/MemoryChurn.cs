using System.Runtime.InteropServices;

namespace Scenarios;

/// <summary>
/// ADV011 memory-map-churn: each item gets its own 64 MiB native scratch buffer (NativeMemory.Alloc), uses
/// its first 1 MiB and frees it. 64 MiB is above glibc's largest mmap threshold (32 MiB on 64-bit), so
/// malloc maps every buffer with its own mmap and free unmaps it with its own munmap: two syscalls, and
/// 256 fresh page faults, per item. The fixed twin allocates the buffer once and reuses it for every item.
/// </summary>
internal static class MemoryChurn
{
    private const nuint BufferSize = 64 * 1024 * 1024;
    private const int UsedBytes = 1024 * 1024; // the work touches only this much (all 64 MiB: page faults would dominate)
    private const int PageSize = 4096;

    /// <returns>A checksum of the work, and the mmap + munmap calls the loop made (2 per buffer).</returns>
    public static unsafe (long Checksum, long Syscalls) Run(int items, bool isFixed)
    {
        long checksum = 0, buffers = 0;
        byte* shared = null;
        if (isFixed)
        {
            shared = (byte*)NativeMemory.Alloc(BufferSize);
            buffers++;
        }

        try
        {
            for (int i = 0; i < items; i++)
            {
                byte* scratch = shared;
                if (!isFixed)
                {
                    scratch = (byte*)NativeMemory.Alloc(BufferSize); // mmap
                    buffers++;
                }

                checksum += Work(scratch, i);
                if (!isFixed)
                {
                    NativeMemory.Free(scratch); // munmap
                }
            }
        }
        finally
        {
            NativeMemory.Free(shared); // null (pathological mode) is a no-op
        }

        return (checksum, 2 * buffers);
    }

    /// <summary>The simulated work: one byte written and read back per 4 KiB page of the first 1 MiB.</summary>
    private static unsafe long Work(byte* scratch, int item)
    {
        long sum = 0;
        for (int offset = 0; offset < UsedBytes; offset += PageSize)
        {
            scratch[offset] = (byte)(item + (offset / PageSize));
            sum += scratch[offset];
        }

        return sum;
    }
}
