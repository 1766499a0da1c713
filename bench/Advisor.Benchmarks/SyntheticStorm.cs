using System.Buffers.Binary;
using Advisor.Core.Events;
using Advisor.Core.Syscalls;
using Advisor.Core.Targets;
using Advisor.Linux.Perf;
using Advisor.Linux.Syscalls;

namespace Advisor.Benchmarks;

/// <summary>
/// A deterministic syscall storm shaped like the UnbufferedWriter benchmark under load: 4 threads of one
/// process, 3 of them writing 16-byte records with pwrite64 to one shared fd (92% of their calls), the
/// fourth reading from a pipe (60%); all of them also wait on futexes. Overall about 83% pwrite64, 10% read,
/// 7% futex; some reads and futexes fail (EAGAIN, ETIMEDOUT).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PerfBuffer"/> holds the records exactly as the kernel writes them into a perf ring for
/// sample_type = IDENTIFIER | TID | TIME | RAW on raw_syscalls:sys_enter/sys_exit: header (u32 type = 9,
/// u16 misc, u16 size); u64 id; u32 pid, tid; u64 time; u32 raw_size; the raw tracepoint record (u16
/// common_type, u8 flags, u8 preempt_count, i32 common_pid, i64 nr, then u64 args[6] for sys_enter or i64
/// ret for sys_exit), with raw_size counting perf's padding to 8 bytes: 68 (record 104 bytes) and 28
/// (record 64 bytes).
/// </para>
/// <para>
/// Threads' records interleave the way they do in a per-CPU ring: at each step a random thread either
/// enters a new call or leaves the one it is in. Each thread sits on one of two CPUs and rarely migrates;
/// the sample id is that of the event opened on (thread, CPU, tracepoint), as the perf source opens them
/// when it attaches to a running process (one enter and one exit event per thread on every CPU of the
/// machine, <see cref="MachineCpus"/>).
/// </para>
/// </remarks>
internal sealed class SyntheticStorm
{
    public const int Pid = 4242;
    public const ushort EnterType = 443;
    public const ushort ExitType = 442;
    public const int Cpus = 2;
    public const int WriteFd = 25;
    public const int ReadFd = 31;

    private const int EnterRecordSize = 8 + 24 + 4 + 68;
    private const int ExitRecordSize = 8 + 24 + 4 + 28;

    /// <summary>Distinct call stacks each thread makes each syscall from (stacks mode).</summary>
    private const int StacksPerCall = 4;
    private const ulong CodeAddress = 0x7f3a_4000_0000;
    private const int EnterRawSize = 68;
    private const int ExitRawSize = 28;
    private const ulong FutexAddress = 0x7f3a_2c00_1040;
    private const ulong BufferAddress = 0x7f3a_1000_0000;

    private static readonly int[] Tids = [4250, 4251, 4252, 4253];

    private SyntheticStorm(byte[] buffer, int records, SyscallEvent[] events, int quiescentRecords, int quiescentOffset, int machineCpus, int stackDepth)
    {
        MachineCpus = machineCpus;
        StackDepth = stackDepth;
        PerfBuffer = buffer;
        Records = records;
        Events = events;
        WarmRecords = quiescentRecords;
        WarmBytes = quiescentOffset;
    }

    public static SyscallTable Table => LinuxTables.ForArchitecture("x86_64");

    public static int Nr(string name) =>
        Table.TryGetNumber(name, out var nr) ? nr : throw new InvalidOperationException($"no syscall {name}");

    /// <summary>The perf records, back to back as a drain reads them from the ring.</summary>
    public byte[] PerfBuffer { get; }

    /// <summary>Records in <see cref="PerfBuffer"/> (enter and exit each count as one).</summary>
    public int Records { get; }

    /// <summary>The completed calls the pairer delivers for <see cref="PerfBuffer"/>, in the same order.</summary>
    public SyscallEvent[] Events { get; }

    /// <summary>
    /// A prefix of the buffer, ending where no call is in flight, that already holds every key (thread ×
    /// syscall × fd), errno and thread of the whole buffer: fed first to warm a fresh pipeline up.
    /// </summary>
    public int WarmRecords { get; }

    public int WarmBytes { get; }

    /// <summary>CPUs of the simulated machine: the perf source opens an enter and an exit event per thread on each.</summary>
    public int MachineCpus { get; }

    /// <summary>
    /// User frames in each sys_enter's callchain (0: records without callchains). As the perf source opens
    /// them, sys_exit records then carry an empty callchain (nr = 0).
    /// </summary>
    public int StackDepth { get; }

    public static SyscallCatalog Catalog() => new(Table, LinuxTables.Errno("x86_64"));

    /// <summary>The perf event id the source would have opened for (thread, CPU, tracepoint).</summary>
    public static ulong EventId(int machineCpus, int threadIndex, int cpu, bool enter) =>
        0x1000UL + (ulong)(((threadIndex * machineCpus) + cpu) * 2) + (enter ? 0UL : 1UL);

    /// <summary>
    /// Registers every (thread, CPU, tracepoint) event in the order the perf source opens them when it
    /// attaches to a running process: per thread, per CPU of the machine, enter then exit.
    /// </summary>
    public EventOwners Owners()
    {
        var owners = new EventOwners();
        for (var t = 0; t < Tids.Length; t++)
        {
            for (var cpu = 0; cpu < MachineCpus; cpu++)
            {
                owners.Add(EventId(MachineCpus, t, cpu, enter: true), Tids[t]);
                owners.Add(EventId(MachineCpus, t, cpu, enter: false), Tids[t]);
            }
        }

        return owners;
    }

    /// <param name="records">Perf records to generate (enter and exit each count).</param>
    /// <param name="machineCpus">CPUs the source opened events on; the storm itself runs on the first two.</param>
    /// <param name="warmRecordsAtLeast">Minimum length of the warm-up prefix.</param>
    /// <param name="seed">Seed of the deterministic generator.</param>
    /// <param name="stackDepth">Frames per sys_enter callchain; 0 for none.</param>
    public static SyntheticStorm Create(int records, int machineCpus = Cpus, int warmRecordsAtLeast = 20_000, int seed = 42, int stackDepth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machineCpus, Cpus);
        if (records % 2 != 0)
        {
            throw new ArgumentException("a whole number of enter/exit pairs is needed", nameof(records));
        }

        var pwrite64 = Nr("pwrite64");
        var read = Nr("read");
        var futex = Nr("futex");
        var random = new Random(seed);
        var enterSize = EnterRecordSize + ChainBytes(stackDepth);
        var exitSize = ExitRecordSize + (stackDepth > 0 ? 8 : 0);
        var chain = new ulong[stackDepth];
        var buffer = new byte[(long)records / 2 * (enterSize + exitSize)];
        var events = new SyscallEvent[records / 2];
        var inFlight = new (bool Busy, int Nr, long Start, ulong A0, ulong A1, ulong A2, long Ret)[Tids.Length];
        var cpuOf = new int[Tids.Length];
        var fileOffset = new ulong[Tids.Length];
        for (var t = 0; t < Tids.Length; t++)
        {
            cpuOf[t] = t % Cpus;
        }

        var span = buffer.AsSpan();
        var offset = 0;
        var written = 0;
        var completed = 0;
        var busy = 0;
        var time = 1_000_000_000_000L;
        var warmRecords = -1;
        var warmOffset = -1;

        while (written < records)
        {
            time += random.Next(40, 400);
            // The three writers are each picked 3 times in 10, the reader once.
            var t = Math.Min(random.Next(10) / 3, Tids.Length - 1);
            var mustDrain = records - written <= busy;
            if (mustDrain && !inFlight[t].Busy)
            {
                // Out of room for new calls: only exits of calls in flight may follow.
                continue;
            }

            if (random.Next(1000) == 0)
            {
                cpuOf[t] ^= 1;
            }

            ref var call = ref inFlight[t];
            if (!call.Busy)
            {
                var roll = random.Next(100);
                var writer = t < Tids.Length - 1;
                if (writer && roll < 92)
                {
                    call = (true, pwrite64, time, WriteFd, BufferAddress + ((ulong)t * 4096), 16, 16);
                    fileOffset[t] += 16;
                }
                else if (writer ? roll < 96 : roll < 60)
                {
                    var ret = random.Next(10) == 0 ? -11 : random.Next(1, 4097);
                    call = (true, read, time, ReadFd, BufferAddress + 0x10_0000, 4096, ret);
                }
                else
                {
                    var ret = random.Next(4) switch { 0 => -11, 1 => -110, _ => 0 };
                    call = (true, futex, time, FutexAddress + ((ulong)t * 8), 0x80, 0, ret);
                }

                FillChain(chain, t, call.Nr, random.Next(StacksPerCall));
                WriteEnter(span[offset..], EventId(machineCpus, t, cpuOf[t], enter: true), Tids[t], time, call.Nr, call.A0, call.A1, call.A2, fileOffset[t], chain);
                offset += enterSize;
                busy++;
            }
            else
            {
                WriteExit(span[offset..], EventId(machineCpus, t, cpuOf[t], enter: false), Tids[t], time, call.Nr, call.Ret, withChain: stackDepth > 0);
                offset += exitSize;
                events[completed++] = new SyscallEvent(Pid, Tids[t], call.Nr, call.Start, time - call.Start, call.Ret, call.A0, call.A1, call.A2);
                call.Busy = false;
                busy--;
            }

            written++;
            if (busy == 0 && warmRecords < 0 && written >= warmRecordsAtLeast)
            {
                warmRecords = written;
                warmOffset = offset;
            }
        }

        return new SyntheticStorm(buffer, records, events, Math.Max(warmRecords, 0), Math.Max(warmOffset, 0), machineCpus, stackDepth);
    }

    private static int ChainBytes(int depth) => depth > 0 ? 8 + (8 * (depth + 1)) : 0;

    /// <summary>
    /// A callchain as the kernel writes it: PERF_CONTEXT_USER, then return addresses. Stacks share their
    /// outer frames (thread start, main loop) and differ near the call, as real ones do.
    /// </summary>
    private static void FillChain(ulong[] chain, int thread, int nr, int variant)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            chain[i] = i < 3
                ? CodeAddress + ((ulong)nr * 0x1000) + ((ulong)variant * 0x100) + ((ulong)i * 0x10)
                : CodeAddress + 0x100_0000 + ((ulong)thread * 0x1000) + ((ulong)i * 0x40);
        }
    }

    private static void WriteEnter(Span<byte> r, ulong id, int tid, long time, int nr, ulong a0, ulong a1, ulong a2, ulong a3, ulong[] chain)
    {
        var size = EnterRecordSize + ChainBytes(chain.Length);
        WriteSampleHead(r, size, id, tid, time, EnterRawSize, EnterType, nr, chain, withChain: chain.Length > 0);
        var args = r[(36 + ChainBytes(chain.Length) + 16)..];
        BinaryPrimitives.WriteUInt64LittleEndian(args, a0);
        BinaryPrimitives.WriteUInt64LittleEndian(args[8..], a1);
        BinaryPrimitives.WriteUInt64LittleEndian(args[16..], a2);
        BinaryPrimitives.WriteUInt64LittleEndian(args[24..], a3);
        BinaryPrimitives.WriteUInt64LittleEndian(args[32..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(args[40..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(size - 4)..], 0); // padding
    }

    private static void WriteExit(Span<byte> r, ulong id, int tid, long time, int nr, long ret, bool withChain)
    {
        var size = ExitRecordSize + (withChain ? 8 : 0);
        WriteSampleHead(r, size, id, tid, time, ExitRawSize, ExitType, nr, [], withChain);
        BinaryPrimitives.WriteInt64LittleEndian(r[(size - ExitRawSize + 16)..], ret);
        BinaryPrimitives.WriteUInt32LittleEndian(r[(size - 4)..], 0); // padding
    }

    private static void WriteSampleHead(
        Span<byte> r, int size, ulong id, int tid, long time, int rawSize, ushort commonType, int nr, ulong[] chain, bool withChain)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(r, 9); // PERF_RECORD_SAMPLE
        BinaryPrimitives.WriteUInt16LittleEndian(r[4..], 2); // misc: PERF_RECORD_MISC_USER
        BinaryPrimitives.WriteUInt16LittleEndian(r[6..], (ushort)size);
        BinaryPrimitives.WriteUInt64LittleEndian(r[8..], id);
        BinaryPrimitives.WriteInt32LittleEndian(r[16..], Pid);
        BinaryPrimitives.WriteInt32LittleEndian(r[20..], tid);
        BinaryPrimitives.WriteInt64LittleEndian(r[24..], time);
        var pos = 32;
        if (withChain)
        {
            // nr, PERF_CONTEXT_USER, the frames (an exit's chain is empty: nr = 0).
            BinaryPrimitives.WriteUInt64LittleEndian(r[pos..], chain.Length == 0 ? 0UL : (ulong)chain.Length + 1);
            pos += 8;
            if (chain.Length > 0)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(r[pos..], unchecked((ulong)-512L));
                pos += 8;
                foreach (var ip in chain)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(r[pos..], ip);
                    pos += 8;
                }
            }
        }

        BinaryPrimitives.WriteInt32LittleEndian(r[pos..], rawSize);
        var raw = r[(pos + 4)..];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, commonType);
        raw[2] = 0; // common_flags
        raw[3] = 0; // common_preempt_count
        BinaryPrimitives.WriteInt32LittleEndian(raw[4..], tid); // common_pid is the thread id
        BinaryPrimitives.WriteInt64LittleEndian(raw[8..], nr);
    }
}

/// <summary>Answers every fd and thread with the same strings, allocating nothing per call.</summary>
internal sealed class ConstantIntrospector : ITargetIntrospector
{
    public string? DescribeFd(int pid, int fd) => "/tmp/advisor-bench.dat";

    public string? ThreadName(int pid, int tid) => "writer";
}
