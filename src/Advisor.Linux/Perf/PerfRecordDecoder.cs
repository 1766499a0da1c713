using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Advisor.Core.Stacks;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Perf;

/// <summary>
/// Decodes perf records of the raw_syscalls tracepoints into enter/exit calls on the pairer. Hot path:
/// reads fields in place from the ring's memory, allocates nothing.
/// </summary>
/// <remarks>
/// Sample layout for sample_type = IDENTIFIER | TID | TIME [| CALLCHAIN] | RAW (the kernel's fixed order):
/// u64 id; u32 pid, tid; u64 time; [u64 nr; u64 ips[nr]]; u32 raw_size; raw tracepoint record.
/// The raw record starts with common_type (the tracepoint id, telling enter from exit), then
/// <c>long id</c> (syscall number) at +8 and either <c>unsigned long args[6]</c> or <c>long ret</c> at +16.
/// </remarks>
internal sealed class PerfRecordDecoder
{
    private const int HeaderSize = 8;
    private readonly ushort _enterId;
    private readonly ushort _exitId;
    private readonly int _openPathId;
    private readonly bool _sampledStacks;
    private readonly bool _hasCallchain;
    // Values at or above this in a callchain are context markers (PERF_CONTEXT_USER, ...), not addresses.
    private const ulong ContextMarkerMin = unchecked((ulong)-4095L);
    private readonly SyscallPairer _pairer;
    private readonly EventOwners _owners;
    private readonly StackTable? _stacks;
    private readonly StackUnwinder? _unwinder;

    /// <param name="stacks">Where callchains are interned; null when records carry none (or to ignore them).</param>
    /// <param name="openPathTracepointId">syscalls:sys_enter_openat's id when its records come too (see <see cref="OpenPathCapture"/>), else -1.</param>
    /// <param name="unwinder">Unwinds the stack-walking samples' copied user stacks (they carry registers and a copy); null keeps their callchains as they are.</param>
    /// <param name="sampledStacks">sys_enter records with a user callchain come from the separate stack event (<c>--stacks sampled</c>), not the counting one.</param>
    public PerfRecordDecoder(
        int enterTracepointId, int exitTracepointId, bool hasCallchain, SyscallPairer pairer, EventOwners owners, StackTable? stacks = null, int openPathTracepointId = -1, bool sampledStacks = false,
        StackUnwinder? unwinder = null)
    {
        _unwinder = unwinder;
        _sampledStacks = sampledStacks;
        _enterId = (ushort)enterTracepointId;
        _exitId = (ushort)exitTracepointId;
        _openPathId = openPathTracepointId;
        _hasCallchain = hasCallchain;
        _pairer = pairer;
        _owners = owners;
        _stacks = stacks;
    }

    /// <summary>Samples the kernel reported as lost (ring full), summed over PERF_RECORD_LOST records.</summary>
    public long Lost { get; private set; }

    /// <summary>Records that did not parse (should stay zero; counted so a decoder bug cannot hide).</summary>
    public long Malformed { get; private set; }

    public long Samples { get; private set; }

    /// <summary>The sample's timestamp, or <see cref="long.MinValue"/> for a record without one (LOST).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long TimeOf(ReadOnlySpan<byte> record) =>
        record.Length >= HeaderSize + 24 && BinaryPrimitives.ReadUInt32LittleEndian(record) == PerfConstants.RecordSample
            ? (long)BinaryPrimitives.ReadUInt64LittleEndian(record[(HeaderSize + 16)..])
            : long.MinValue;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decode(ReadOnlySpan<byte> record)
    {
        var type = BinaryPrimitives.ReadUInt32LittleEndian(record);
        if (type == PerfConstants.RecordSample)
        {
            DecodeSample(record);
        }
        else if (type == PerfConstants.RecordLost && record.Length >= HeaderSize + 16)
        {
            var lost = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[(HeaderSize + 8)..]);
            Lost += lost;
            _pairer.OnLost(lost);
        }
        else if (type == PerfConstants.RecordComm && record.Length > HeaderSize + 8)
        {
            DecodeComm(record);
        }
        else if (type == PerfConstants.RecordLostSamples && record.Length >= HeaderSize + 8)
        {
            var lost = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[HeaderSize..]);
            Lost += lost;
            _pairer.OnLost(lost);
        }
    }

    private void DecodeSample(ReadOnlySpan<byte> record)
    {
        var pos = HeaderSize;
        if (record.Length < pos + 28)
        {
            Malformed++;
            return;
        }

        var id = BinaryPrimitives.ReadUInt64LittleEndian(record[pos..]);
        var pid = BinaryPrimitives.ReadInt32LittleEndian(record[(pos + 8)..]);
        var tid = BinaryPrimitives.ReadInt32LittleEndian(record[(pos + 12)..]);
        var time = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[(pos + 16)..]);
        pos += 24;

        var callchain = ReadOnlySpan<byte>.Empty;
        if (_hasCallchain)
        {
            if (pos + 8 > record.Length)
            {
                Malformed++;
                return;
            }

            // Bounded by the record before multiplying: a corrupt count must not overflow the offset.
            var frames = BinaryPrimitives.ReadUInt64LittleEndian(record[pos..]);
            var room = record.Length - pos - 12; // after the count, and before raw_size
            if (room < 0 || frames > (ulong)room / 8)
            {
                Malformed++;
                return;
            }

            callchain = record.Slice(pos + 8, (int)frames * 8);
            pos += 8 + ((int)frames * 8);
        }

        if (pos + 4 > record.Length)
        {
            Malformed++;
            return;
        }

        var rawSize = BinaryPrimitives.ReadInt32LittleEndian(record[pos..]);
        var raw = record.Slice(pos + 4);
        if (rawSize < 24 || raw.Length < rawSize)
        {
            Malformed++;
            return;
        }

        Samples++;
        var direct = _owners.IsDirect(id, tid);
        var commonType = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        var nr = (int)BinaryPrimitives.ReadInt64LittleEndian(raw[8..]);
        if (commonType == _enterId && _sampledStacks && !callchain.IsEmpty)
        {
            // The stack event (one sys_enter in N): its stack joins the call the counting event recorded.
            if (_stacks is not null)
            {
                _pairer.OnStack(tid, time, Intern(pid, callchain, record[(pos + 4 + rawSize)..]));
            }
        }
        else if (commonType == _enterId && rawSize >= 64)
        {
            var stackId = callchain.IsEmpty || _stacks is null ? StackTable.None : Intern(pid, callchain, record[(pos + 4 + rawSize)..]);
            _pairer.OnEnter(
                pid,
                tid,
                time,
                nr,
                BinaryPrimitives.ReadUInt64LittleEndian(raw[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(raw[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(raw[32..]),
                direct,
                stackId);
        }
        else if (commonType == _exitId)
        {
            _pairer.OnExit(pid, tid, time, nr, BinaryPrimitives.ReadInt64LittleEndian(raw[16..]), direct);
        }
        else if (commonType == _openPathId)
        {
            // Same layout up to the raw record, then the registers and the stack copy (see OpenPathCapture). A
            // thread covered twice gives the path twice: the same path, harmless.
            if (OpenPathCapture.Read(raw[..rawSize], record[(pos + 4 + rawSize)..]) is { } path)
            {
                _pairer.OnOpenPath(pid, tid, path);
            }
        }
        else
        {
            Malformed++;
        }
    }

    /// <summary>PERF_RECORD_COMM: u32 pid, tid; char comm[] (NUL-terminated, padded to 8 bytes).</summary>
    private void DecodeComm(ReadOnlySpan<byte> record)
    {
        var pid = BinaryPrimitives.ReadInt32LittleEndian(record[HeaderSize..]);
        var tid = BinaryPrimitives.ReadInt32LittleEndian(record[(HeaderSize + 4)..]);
        var comm = record[(HeaderSize + 8)..];
        var end = comm.IndexOf((byte)0);
        _pairer.OnThreadName(pid, tid, System.Text.Encoding.UTF8.GetString(end < 0 ? comm : comm[..end]));
    }

    /// <summary>
    /// Interns the user frames of a callchain, skipping the kernel's context markers; with the sample's registers and
    /// stack copy (its <paramref name="tail"/>), unwound through native frames first.
    /// </summary>
    private int Intern(int pid, ReadOnlySpan<byte> callchain, ReadOnlySpan<byte> tail)
    {
        var frames = MemoryMarshal.Cast<byte, ulong>(callchain);
        var first = 0;
        while (first < frames.Length && frames[first] >= ContextMarkerMin)
        {
            first++;
        }

        var last = first;
        while (last < frames.Length && frames[last] < ContextMarkerMin)
        {
            last++;
        }

        var chain = frames[first..last];
        if (_unwinder is not null && PerfUserStack.TryRead(tail, _unwinder.Architecture, out var registers, out var stack))
        {
            return _stacks!.Intern(pid, _unwinder.Unwind(pid, registers, new CopiedStack(registers.Sp, stack), chain));
        }

        return _stacks!.Intern(pid, chain);
    }
}
