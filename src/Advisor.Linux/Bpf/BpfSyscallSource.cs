using System.Runtime.InteropServices;
using System.Text;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Native;
using Advisor.Linux.Perf;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Bpf;

/// <summary>
/// The bpf backend: programs on the raw_syscalls tracepoints keep only the traced processes (a map of tgids the
/// fork hook extends to their children), pair each call's enter and exit in the kernel, and write one compact
/// record per completed call into a BPF ring buffer, which one drain thread reads in place into the same sink
/// as the other backends. Stacks are walked in the kernel for the sampled calls only; records the ring had no
/// room for are counted in a map and reported.
/// </summary>
/// <remarks>
/// Nothing of the target changes: the programs run in the kernel on its tracepoints, and closing our file
/// descriptors — also by our death — detaches them and frees the maps.
/// </remarks>
public sealed unsafe class BpfSyscallSource : ISyscallSource, IPausableSource, ICalibratingSource
{
    /// <summary>A pass that found this many records drains again at once: the target is storming.</summary>
    private const int BusyRecords = 50_000;

    /// <summary>
    /// Longest wait between two drains while paused. Only the process hooks (a fork, a thread's new name) can
    /// write then, a few records at most, so the drain need not wake a hundred times a second: on a busy
    /// machine each wake-up is a context switch taken from the service between windows.
    /// </summary>
    private const int PausedPollMs = 1_000;

    private readonly BpfObject _object;
    private readonly BpfOptions _options;
    private BpfRecords.Settings _settings;
    private readonly BpfRingBuffer _ring;
    private readonly int _targetsFd;
    private readonly int _lostFd;
    private readonly int _cpus;
    private readonly RecordDecoder _decoder;
    private Thread? _drainThread;
    private volatile bool _stopping;
    private volatile bool _paused;

    /// <summary>Cuts the drain's wait short: recording again, or stopping.</summary>
    private readonly ManualResetEventSlim _wake = new(false, 0);
    private SourceStatistics? _statistics;
    private bool _disposed;

    private BpfSyscallSource(ISyscallSink sink, BpfOptions options)
    {
        _options = options;
        _object = BpfObject.Load(options.RingBytes);
        try
        {
            _targetsFd = _object.MapFd("targets");
            _lostFd = _object.MapFd("lost");
            _cpus = Math.Max(1, LibBpf.PossibleCpus());
            _ring = new BpfRingBuffer(_object.MapFd("events"), options.RingBytes);
            Configure();
            _decoder = new RecordDecoder(sink, options.Stacks, options.Stacks is not null && options.StackCopyBytes > 0 ? new StackUnwinder() : null);
        }
        catch
        {
            _object.Dispose();
            throw;
        }
    }

    public string Name => "bpf";

    /// <summary>Records one running process from now on, and every process it starts.</summary>
    public static BpfSyscallSource Attach(int pid, ISyscallSink sink, BpfOptions? options = null)
    {
        ProcTasks.RequireProcess(pid);
        return Start(pid, BpfRecords.Traced, sink, options ?? new BpfOptions());
    }

    /// <summary>
    /// Arms a process stopped just before its execve: recording starts at the exec (the hook on
    /// sched_process_exec), so the command is seen from its first call and the launcher's calls stay out.
    /// </summary>
    public static BpfSyscallSource AttachBeforeExec(int pid, ISyscallSink sink, BpfOptions? options = null) =>
        Start(pid, BpfRecords.Armed, sink, options ?? new BpfOptions());

    /// <summary>Records this process (the tracer's calibration, which keeps only its own thread's calls).</summary>
    internal static BpfSyscallSource AttachSelf(ISyscallSink sink, BpfOptions options) =>
        Start(Environment.ProcessId, BpfRecords.Traced, sink, options);

    private static BpfSyscallSource Start(int pid, uint state, ISyscallSink sink, BpfOptions options)
    {
        var source = new BpfSyscallSource(sink, options);
        try
        {
            var key = (uint)pid;
            Update(source._targetsFd, &key, &state);
            foreach (var program in (ReadOnlySpan<string>)["process_fork", "process_exec", "task_rename", "sys_exit", "sys_enter"])
            {
                source._object.Attach(program);
            }

            source._drainThread = new Thread(source.DrainLoop) { IsBackground = true, Name = "advisor bpf drain" };
            source._drainThread.Start();
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public SourceStatistics Stop()
    {
        if (_statistics is not null)
        {
            return _statistics;
        }

        // Detached first: the ring then holds everything that will ever be written, and one last pass empties it.
        _object.Detach();
        _stopping = true;
        _wake.Set();
        _drainThread?.Join();
        _ring.Drain(_decoder);
        ReportLost();
        Dispose();
        _statistics = new SourceStatistics(_decoder.Records, _decoder.LostSoFar, 0, [])
        {
            Tracer = MeasureCost(),
        };
        return _statistics;
    }

    public Task<TracerCost> MeasureCost() =>
        _options.Calibrate ? TracerCalibration.Measure(Calibration, _options.Stacks is not null && _options.StackMode != StackMode.None) : Task.FromResult(TracerCost.None);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        _wake.Set();
        if (_drainThread is { IsAlive: true } && _drainThread != Thread.CurrentThread)
        {
            _drainThread.Join();
        }

        _ring?.Dispose();
        _object.Dispose();
        _wake.Dispose();
    }

    /// <summary>The same recorder on the calibration thread of this process, keeping that thread's calls only.</summary>
    private ISyscallSource Calibration(int tid, ISyscallSink sink, StackTable? stacks) =>
        AttachSelf(new OneThread(tid, sink), _options with { Stacks = stacks, StackMode = stacks is null ? StackMode.None : StackMode.All, Calibrate = false, OnlyThread = tid });

    private void Configure()
    {
        var table = LinuxTables.Current;
        _settings = new BpfRecords.Settings
        {
            Stacks = _options.Stacks is null ? (uint)StackMode.None : (uint)_options.StackMode,
            First = _options.FirstStacks,
            Every = _options.StackEvery,
            CopyChunks = (uint)Math.Min(_options.StackCopyBytes, BpfRecords.StackCopy) / BpfRecords.StackChunk,
            OnlyThread = _options.OnlyThread,
            OpenAtNumber = table.TryGetNumber("openat", out var openat) ? openat : -1,
            ExitNumber = table.TryGetNumber("exit", out var exit) ? exit : -1,
            ExitGroupNumber = table.TryGetNumber("exit_group", out var exitGroup) ? exitGroup : -1,
        };
        WriteSettings();
    }

    /// <summary>
    /// Detaches the syscall hooks (the process hooks stay, so children started meanwhile are still traced):
    /// while no program is attached to raw_syscalls the kernel takes its fast path for every call of the machine,
    /// which a flag tested in an attached program would not give back. A call in flight now is not recorded.
    /// </summary>
    public void Pause()
    {
        _object.Detach("sys_enter");
        _object.Detach("sys_exit");
        _paused = true;
    }

    /// <summary>A new epoch first, so that no enter from before the pause pairs with a later exit; exits before enters.</summary>
    public void Resume()
    {
        _settings.Epoch++;
        WriteSettings();
        _object.Attach("sys_exit");
        _object.Attach("sys_enter");
        _paused = false;
        _wake.Set();
    }

    private void WriteSettings()
    {
        var zero = 0U;
        var settings = _settings;
        Update(_object.MapFd("settings"), &zero, &settings);
    }

    private static void Update(int fd, void* key, void* value)
    {
        if (LibBpf.MapUpdate(fd, key, value, 0) != 0)
        {
            throw new AdvisorException(FailureKind.Internal, $"bpf map update failed: {LibC.LastErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>
    /// Drains, then sleeps for the interval: records come without wake-ups, and a ring that holds a fraction of a
    /// second of the fastest storm needs no more. Waking on readiness instead spins the drain thread over single
    /// records when a service trickles them (the ring is "ready" after every call).
    /// </summary>
    private void DrainLoop()
    {
        var passes = 0;
        while (!_stopping)
        {
            // Read before the pass: a pass that starts paused finds everything the programs wrote before they were
            // detached, so only then may the drain wait long.
            var paused = _paused;
            var records = _ring.Drain(_decoder);
            if (++passes % 10 == 0)
            {
                ReportLost();
            }

            if (paused)
            {
                _wake.Wait(PausedPollMs);
                _wake.Reset();
            }
            else if (records < BusyRecords)
            {
                Thread.Sleep(_options.PollIntervalMs);
            }
        }
    }

    /// <summary>The kernel's count of records the ring had no room for, summed over CPUs; the sink gets what is new.</summary>
    private void ReportLost()
    {
        var perCpu = stackalloc ulong[_cpus];
        var zero = 0U;
        if (LibBpf.MapLookup(_lostFd, &zero, perCpu) != 0)
        {
            return;
        }

        ulong total = 0;
        for (var i = 0; i < _cpus; i++)
        {
            total += perCpu[i];
        }

        _decoder.Lost((long)total);
    }

    /// <summary>
    /// Turns records into calls on the sink. A sampled call's stack comes as its own record just before the call's
    /// (written at the enter): interned then, and kept for the thread until its call arrives.
    /// </summary>
    private sealed class RecordDecoder(ISyscallSink sink, StackTable? stacks, StackUnwinder? unwinder) : IRecordConsumer
    {
        private static readonly int StackRecordFixedBytes = sizeof(BpfRecords.StackRecordHeader) + (BpfRecords.MaxFrames * sizeof(ulong));

        private readonly Dictionary<int, int> _stackOfThread = new();
        private long _records;
        private long _lost;

        public long Records => Volatile.Read(ref _records);

        public long LostSoFar => Volatile.Read(ref _lost);

        public void Lost(long total)
        {
            if (total > _lost)
            {
                sink.OnLost(total - _lost);
                Volatile.Write(ref _lost, total);
            }
        }

        public void OnRecord(ReadOnlySpan<byte> data)
        {
            if (data.Length < sizeof(uint))
            {
                return;
            }

            Volatile.Write(ref _records, _records + 1);
            var kind = MemoryMarshal.Read<uint>(data);
            if (kind == BpfRecords.Call && data.Length >= sizeof(BpfRecords.CallRecord))
            {
                var r = MemoryMarshal.Read<BpfRecords.CallRecord>(data);
                var stack = r.Stack > 0 && _stackOfThread.Remove(r.Tid, out var id) ? id : StackTable.None;
                sink.OnSyscall(new SyscallEvent(r.Pid, r.Tid, r.Number, r.StartNs, r.DurationNs, r.Return, r.Arg0, r.Arg1, r.Arg2, stack));
            }
            else if (kind == BpfRecords.Stack && data.Length >= StackRecordFixedBytes)
            {
                var header = MemoryMarshal.Read<BpfRecords.StackRecordHeader>(data);
                var bytes = (int)Math.Min(header.Bytes, (uint)(BpfRecords.MaxFrames * sizeof(ulong)));
                if (stacks is not null)
                {
                    var frames = MemoryMarshal.Cast<byte, ulong>(data.Slice(sizeof(BpfRecords.StackRecordHeader), bytes));
                    var copy = data[StackRecordFixedBytes..];
                    copy = copy[..(int)Math.Min(header.Copied, (uint)copy.Length)];
                    _stackOfThread[header.Tid] = stacks.Intern(
                        header.Pid,
                        unwinder is null || copy.IsEmpty
                            ? frames
                            : unwinder.Unwind(header.Pid, new UserRegisters(header.Ip, header.Sp, header.Bp), new CopiedStack(header.Base, copy), frames));
                }
            }
            else if (kind == BpfRecords.Name && data.Length >= sizeof(BpfRecords.NameRecordHeader) + BpfRecords.NameLength)
            {
                var header = MemoryMarshal.Read<BpfRecords.NameRecordHeader>(data);
                var name = data.Slice(sizeof(BpfRecords.NameRecordHeader), BpfRecords.NameLength);
                var end = name.IndexOf((byte)0);
                sink.OnThreadName(header.Pid, header.Tid, Encoding.UTF8.GetString(end < 0 ? name : name[..end]));
            }
            else if (kind == BpfRecords.Path && data.Length >= sizeof(BpfRecords.PathRecordHeader))
            {
                var header = MemoryMarshal.Read<BpfRecords.PathRecordHeader>(data);
                var text = data[sizeof(BpfRecords.PathRecordHeader)..];
                var length = (int)Math.Min(header.Length, (uint)text.Length);
                if (length > 0)
                {
                    sink.OnOpenPath(header.Pid, header.Tid, Encoding.UTF8.GetString(text[..length]));
                }
            }
        }
    }

    /// <summary>Passes on one thread's calls only.</summary>
    private sealed class OneThread(int tid, ISyscallSink next) : ISyscallSink
    {
        public void OnSyscall(in SyscallEvent e)
        {
            if (e.Tid == tid)
            {
                next.OnSyscall(e);
            }
        }

        public void OnLost(long count) => next.OnLost(count);
    }
}
