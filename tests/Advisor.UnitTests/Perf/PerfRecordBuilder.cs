using System.Buffers.Binary;

namespace Advisor.UnitTests.Perf;

/// <summary>
/// Builds perf records byte for byte as the kernel writes them into a ring for
/// sample_type = IDENTIFIER | TID | TIME [| CALLCHAIN] | RAW on the raw_syscalls tracepoints.
/// </summary>
/// <remarks>
/// Record: header (u32 type, u16 misc, u16 size), then for a sample u64 id; u32 pid, tid; u64 time;
/// [u64 nr; u64 ips[nr]]; u32 raw_size; raw. The raw tracepoint record is u16 common_type, u8 flags,
/// u8 preempt_count, i32 common_pid, i64 id (the syscall number), then u64 args[6] (sys_enter, 64 bytes) or
/// i64 ret (sys_exit, 24 bytes). perf pads u32 raw_size + raw to a multiple of 8 and counts the padding in
/// raw_size: 68 for sys_enter, 28 for sys_exit.
/// </remarks>
internal static class PerfRecordBuilder
{
    public const uint RecordLost = 2;
    public const uint RecordSample = 9;
    public const uint RecordLostSamples = 13;

    public const ushort EnterType = 22;
    public const ushort ExitType = 21;

    public const int EnterRawSize = 68;
    public const int ExitRawSize = 28;

    public static byte[] Enter(
        ulong id, int pid, int tid, long time, long nr, ulong[] args, ulong[]? callchain = null, ushort commonType = EnterType)
    {
        if (args.Length != 6)
        {
            throw new ArgumentException("sys_enter carries exactly six arguments", nameof(args));
        }

        var raw = new byte[64];
        WriteRawCommon(raw, commonType, pid, nr);
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(16 + (i * 8)), args[i]);
        }

        return Sample(id, pid, tid, time, raw, callchain);
    }

    public static byte[] Exit(
        ulong id, int pid, int tid, long time, long nr, long ret, ulong[]? callchain = null, ushort commonType = ExitType)
    {
        var raw = new byte[24];
        WriteRawCommon(raw, commonType, pid, nr);
        BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(16), ret);
        return Sample(id, pid, tid, time, raw, callchain);
    }

    /// <summary>A PERF_RECORD_SAMPLE around a raw tracepoint payload, padded the way perf pads it.</summary>
    public static byte[] Sample(ulong id, int pid, int tid, long time, ReadOnlySpan<byte> raw, ulong[]? callchain = null)
    {
        var rawSize = Align8(raw.Length + 4) - 4;
        var chainBytes = callchain is null ? 0 : 8 + (callchain.Length * 8);
        var size = 8 + 8 + 8 + 8 + chainBytes + 4 + rawSize;
        var record = new byte[size];
        var span = record.AsSpan();
        WriteHeader(span, RecordSample, size);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], id);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], tid);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], time);
        var pos = 32;
        if (callchain is not null)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[pos..], (ulong)callchain.Length);
            pos += 8;
            foreach (var ip in callchain)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(span[pos..], ip);
                pos += 8;
            }
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[pos..], rawSize);
        raw.CopyTo(span[(pos + 4)..]);
        return record;
    }

    /// <summary>
    /// syscalls:sys_enter_openat with PERF_SAMPLE_REGS_USER (the stack pointer) and PERF_SAMPLE_STACK_USER after
    /// the raw record: <c>u64 abi; u64 sp; u64 size; u8 stack[size]; u64 dyn_size</c>.
    /// </summary>
    public static byte[] OpenAt(ulong id, int pid, int tid, long time, ushort commonType, ulong filename, ulong sp, byte[] stack, ulong[]? callchain = null)
    {
        var raw = new byte[48];
        WriteRawCommon(raw, commonType, pid, 257);
        BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(16), unchecked((ulong)-100));
        BinaryPrimitives.WriteUInt64LittleEndian(raw.AsSpan(24), filename);
        var sample = Sample(id, pid, tid, time, raw, callchain);
        var tail = new byte[8 + 8 + 8 + stack.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, 2); // PERF_SAMPLE_REGS_ABI_64
        BinaryPrimitives.WriteUInt64LittleEndian(tail.AsSpan(8), sp);
        BinaryPrimitives.WriteUInt64LittleEndian(tail.AsSpan(16), (ulong)stack.Length);
        stack.CopyTo(tail.AsSpan(24));
        BinaryPrimitives.WriteUInt64LittleEndian(tail.AsSpan(24 + stack.Length), (ulong)stack.Length);
        var record = new byte[sample.Length + tail.Length];
        sample.CopyTo(record, 0);
        tail.CopyTo(record, sample.Length);
        WriteHeader(record, RecordSample, record.Length);
        return record;
    }

    /// <summary>PERF_RECORD_LOST: u64 id, u64 lost.</summary>
    public static byte[] Lost(ulong id, ulong lost)
    {
        var record = new byte[24];
        WriteHeader(record, RecordLost, record.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(8), id);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(16), lost);
        return record;
    }

    /// <summary>PERF_RECORD_LOST_SAMPLES: u64 lost.</summary>
    public static byte[] LostSamples(ulong lost)
    {
        var record = new byte[16];
        WriteHeader(record, RecordLostSamples, record.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(8), lost);
        return record;
    }

    /// <summary>A record of a type the decoder has no business with (e.g. PERF_RECORD_COMM = 3).</summary>
    public static byte[] Other(uint type, int size)
    {
        var record = new byte[size];
        WriteHeader(record, type, size);
        return record;
    }

    public static ulong[] Args(ulong a0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) =>
        [a0, a1, a2, a3, a4, a5];

    private static void WriteHeader(Span<byte> record, uint type, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, type);
        BinaryPrimitives.WriteUInt16LittleEndian(record[4..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(record[6..], checked((ushort)size));
    }

    private static void WriteRawCommon(Span<byte> raw, ushort commonType, int commonPid, long nr)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(raw, commonType);
        raw[2] = 0; // common_flags
        raw[3] = 0; // common_preempt_count
        BinaryPrimitives.WriteInt32LittleEndian(raw[4..], commonPid);
        BinaryPrimitives.WriteInt64LittleEndian(raw[8..], nr);
    }

    private static int Align8(int n) => (n + 7) & ~7;
}
