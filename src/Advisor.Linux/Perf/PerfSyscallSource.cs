using System.Globalization;
using System.Runtime.InteropServices;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Sources;
using Advisor.Core.Stacks;
using Advisor.Linux.Native;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;
using Advisor.Linux.Unwinding;

namespace Advisor.Linux.Perf;

/// <summary>
/// The perf backend: <c>raw_syscalls:sys_enter</c>/<c>sys_exit</c> tracepoints on every thread of the
/// target, inherited by threads and processes it creates later, one ring buffer per CPU, drained by one
/// dedicated thread that pairs and delivers the calls.
/// </summary>
/// <remarks>
/// Why per-CPU events on each thread: the kernel refuses to mmap an inherited per-task event (cpu = -1),
/// and inheritance is what catches threads created after attach without racing them. All events of one CPU
/// are redirected (PERF_EVENT_IOC_SET_OUTPUT) into that CPU's single ring.
/// Nothing here stops or modifies the target: closing the event fds (also on our own crash or SIGKILL,
/// when the kernel closes them for us) removes every trace of the session.
/// </remarks>
public sealed unsafe class PerfSyscallSource : ISyscallSource, IPausableSource, ICalibratingSource
{
    private const int MaxAttachRounds = 50;

    /// <summary>What <see cref="OpenEvent"/> returns for an optional event this kernel refuses.</summary>
    private const int NotOffered = -2;

    /// <summary>Stands for the sampled-stack event in the list of events a thread gets: sys_enter again, with a period.</summary>
    private const int StackEvent = -3;

    // A record becomes visible in its ring microseconds after its timestamp is taken; 2 ms of slack covers a
    // briefly descheduled CPU without holding back more than a sliver of a ring.
    private const long ReorderWindowNs = 2_000_000;

    /// <summary>
    /// How long a paused drain waits between passes once it has decoded all the kernel wrote before the pause:
    /// nothing is written while paused, and <see cref="Resume"/> and <see cref="Stop"/> wake it (<see cref="_wake"/>).
    /// A service watched by <c>monitor</c> is paused nine seconds in ten; passes every 10 ms would wake the tool for nothing.
    /// </summary>
    private const int PausedPollMs = 1_000;

    private readonly int _pid;
    private readonly PerfOptions _options;
    private readonly IReadOnlyList<int> _cpus;
    private readonly PerfRingBuffer?[] _rings;
    private readonly int[] _ringFds;
    private readonly List<int> _eventFds = [];
    private readonly HashSet<int> _attachedThreads = [];
    private readonly EventOwners _owners = new();
    private readonly SyscallPairer _pairer;
    private readonly PerfRecordDecoder _decoder;
    private readonly List<string> _notes = [];
    private readonly int _enterId;
    private readonly int _exitId;
    private int _openPathId;
    private readonly WakeEvent _wake = WakeEvent.Create();
    private Thread? _drainThread;

    /// <summary>When the events were disabled (<see cref="Pause"/>); 0 while recording.</summary>
    private long _pausedAtNs;
    private volatile bool _stopping;
    private bool _stopped;
    private SourceStatistics? _statistics;

    private PerfSyscallSource(int pid, ISyscallSink sink, PerfOptions options)
    {
        _pid = pid;
        _options = options;
        _enterId = TraceFs.EventId("raw_syscalls", "sys_enter");
        _exitId = TraceFs.EventId("raw_syscalls", "sys_exit");
        _openPathId = options.OpenPaths ? TraceFs.TryEventId("syscalls", "sys_enter_openat") ?? -1 : -1;
        _cpus = OnlineCpus.Read();
        var maxCpu = _cpus.Max();
        _rings = new PerfRingBuffer?[maxCpu + 1];
        _ringFds = new int[maxCpu + 1];
        var table = LinuxTables.Current;
        table.TryGetNumber("exit", out var exitNr);
        table.TryGetNumber("exit_group", out var exitGroupNr);
        _pairer = new SyscallPairer(sink, exitNr, exitGroupNr);
        _decoder = new PerfRecordDecoder(
            _enterId, _exitId, hasCallchain: options.Stacks is not null, _pairer, _owners, options.Stacks, _openPathId, SampledStacks,
            options.Stacks is not null && options.StackCopyBytes > 0 ? new StackUnwinder() : null);
    }

    public string Name => "perf";

    /// <summary>Stacks come from a separate sys_enter event that fires one call in N (--stacks sampled).</summary>
    private bool SampledStacks => _options.Stacks is not null && _options.StackMode == StackMode.Sampled;

    /// <summary>Syscall records decoded so far (enter and exit each count); safe to read from any thread.</summary>
    public long Samples => _decoder.Samples;

    /// <summary>
    /// Attaches to a running process: every thread alive now, and through inheritance every thread and child
    /// process they create from now on.
    /// </summary>
    public static PerfSyscallSource Attach(int pid, ISyscallSink sink, PerfOptions? options = null)
    {
        ProcTasks.RequireProcess(pid);

        var source = new PerfSyscallSource(pid, sink, options ?? PerfOptions.Default);
        try
        {
            source.AttachAllThreads();
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Arms a process that is stopped just before it calls execve: recording starts at the exec, so the new
    /// program is seen from its first syscall. The caller resumes the process afterwards.
    /// </summary>
    public static PerfSyscallSource AttachBeforeExec(int pid, ISyscallSink sink, PerfOptions? options = null)
    {
        var source = new PerfSyscallSource(pid, sink, options ?? PerfOptions.Default);
        try
        {
            // Only the thread that calls execve survives it, and in a .NET process that is the main thread.
            if (!source.OpenThread(pid, enableOnExec: true))
            {
                throw new AdvisorException(FailureKind.Target, $"process {pid} exited before it could be traced");
            }

            source.StartDraining();
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Records one thread of this process only (the tracer's calibration thread), as every target thread is recorded.</summary>
    internal static PerfSyscallSource AttachThread(int tid, ISyscallSink sink, PerfOptions options)
    {
        var source = new PerfSyscallSource(Environment.ProcessId, sink, options);
        try
        {
            if (!source.OpenThread(tid, enableOnExec: false))
            {
                throw new AdvisorException(FailureKind.Internal, $"calibration thread {tid} is gone");
            }

            source.StartDraining();
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private void AttachAllThreads()
    {
        for (var round = 0; round < MaxAttachRounds; round++)
        {
            var tids = ProcTasks.ThreadIds(_pid);
            if (tids.Count == 0)
            {
                if (_attachedThreads.Count == 0)
                {
                    throw new AdvisorException(FailureKind.Target, $"process {_pid} exited before it could be traced");
                }

                return;
            }

            var added = 0;
            foreach (var tid in tids)
            {
                if (_attachedThreads.Contains(tid))
                {
                    continue;
                }

                if (OpenThread(tid, enableOnExec: false))
                {
                    added++;
                }
            }

            if (_drainThread is null && _attachedThreads.Count > 0)
            {
                StartDraining();
            }

            // Threads created from here on by a thread we hold are inherited; a re-scan that finds nothing new
            // means no thread slipped in between the listing and the opening.
            if (added == 0)
            {
                return;
            }
        }
    }

    /// <summary>Opens the enter and exit events of one thread on every CPU; false if the thread is gone.</summary>
    private bool OpenThread(int tid, bool enableOnExec)
    {
        var opened = new List<int>(_cpus.Count * 3);
        var ids = new List<ulong>(_cpus.Count * 3);
        ReadOnlySpan<int> tracepoints = [_enterId, _exitId, _openPathId, SampledStacks ? StackEvent : -1];
        foreach (var cpu in _cpus)
        {
            foreach (var tracepoint in tracepoints)
            {
                if (tracepoint == -1 || (tracepoint != _enterId && tracepoint != _exitId && tracepoint != _openPathId && tracepoint != StackEvent))
                {
                    continue; // an event not asked for, or the open-path event refused on an earlier CPU
                }

                var fd = OpenEvent(tracepoint, tid, cpu, enableOnExec);
                if (fd == NotOffered)
                {
                    continue;
                }

                if (fd < 0)
                {
                    // The thread exited while we opened its events. They are still disabled; close them, but
                    // keep an fd that now carries a CPU's ring (it stays disabled and empty).
                    foreach (var o in opened.Where(o => !_ringFds.Contains(o)))
                    {
                        _ = LibC.Close(o);
                        _eventFds.Remove(o);
                    }

                    return false;
                }

                opened.Add(fd);
                _eventFds.Add(fd);
                RouteToRing(fd, cpu);
                ulong id;
                if (LibC.Ioctl(fd, PerfConstants.IocId, (nint)(&id)) != 0)
                {
                    throw Failure("PERF_EVENT_IOC_ID", Marshal.GetLastPInvokeError());
                }

                ids.Add(id);
            }
        }

        // Known before any of them is enabled, so no sample of this thread is ever misjudged.
        _owners.Add(CollectionsMarshal.AsSpan(ids), tid);
        if (!enableOnExec)
        {
            foreach (var fd in opened)
            {
                _ = LibC.Ioctl(fd, PerfConstants.IocEnable, 0);
            }
        }

        _attachedThreads.Add(tid);
        return true;
    }

    /// <returns>The event fd, or -1 when the thread no longer exists.</returns>
    private int OpenEvent(int tracepointId, int tid, int cpu, bool enableOnExec)
    {
        var stacks = _options.Stacks is not null;
        var openPath = tracepointId == _openPathId;
        var stackEvent = tracepointId == StackEvent;
        var copiesStack = CopiesStack(tracepointId);
        var attr = new PerfEventAttr
        {
            Type = PerfConstants.TypeTracepoint,
            Size = (uint)sizeof(PerfEventAttr),
            Config = (ulong)(stackEvent ? _enterId : tracepointId),
            SamplePeriod = stackEvent ? _options.StackEvery : 1,
            // Every record of a ring shares the layout up to the raw record, so the decoder can read the tracepoint
            // id before it knows which event wrote it; the open-path event only adds its registers and stack after it.
            SampleType = (ulong)(PerfSample.Identifier | PerfSample.Tid | PerfSample.Time | PerfSample.Raw | (stacks ? PerfSample.Callchain : 0)
                | (openPath || copiesStack ? PerfSample.RegsUser | PerfSample.StackUser : 0)),
            SampleRegsUser = openPath ? OpenPathCapture.StackPointerMask : copiesStack ? PerfUserStack.RegisterMask(StackUnwinder.HostArchitecture) : 0,
            SampleStackUser = openPath ? OpenPathCapture.StackBytes : copiesStack ? (uint)_options.StackCopyBytes : 0,
            // Opened disabled and enabled only once routed into the CPU's ring, so no sample is written to
            // the event's own (absent) buffer and lost.
            Flags = (ulong)(PerfFlags.Disabled | PerfFlags.Inherit | PerfFlags.UseClockId | PerfFlags.Watermark
                | (enableOnExec ? PerfFlags.EnableOnExec : 0) | CallchainFlags(tracepointId)
                // Thread names as they are set (and exec's new name), from one of the two events only.
                | (tracepointId == _enterId ? PerfFlags.Comm : 0)),
            SampleMaxStack = (ushort)_options.MaxStackDepth,
            WakeupEventsOrWatermark = (uint)(_options.BufferPagesPerCpu * Environment.SystemPageSize / 4),
            ClockId = PerfConstants.ClockMonotonic,
        };

        var fd = LibC.Syscall(LinuxTables.PerfEventOpenNumber(LinuxTables.Current.Architecture), &attr, tid, cpu, -1, PerfConstants.FlagFdCloexec);
        if (fd >= 0)
        {
            return (int)fd;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == LibC.Esrch)
        {
            return -1;
        }

        if (tracepointId == _openPathId && !_attachedThreads.Any())
        {
            // Capturing open paths is a refinement: without it fds closed at once may stay unnamed, nothing else.
            _notes.Add($"open paths are not captured with the call here ({LibC.LastErrorMessage(errno)}): files closed within milliseconds may stay unnamed");
            _openPathId = -1;
            return NotOffered;
        }

        throw Failure("perf_event_open", errno);
    }

    /// <summary>The event that walks stacks also copies the top of the user stack, to unwind native frames.</summary>
    private bool CopiesStack(int tracepointId) =>
        _options.Stacks is not null && _options.StackCopyBytes > 0 && (tracepointId == StackEvent || (tracepointId == _enterId && !SampledStacks));

    /// <summary>
    /// Only the enter needs the caller's stack (with --stacks sampled, only the stack event). The others keep the
    /// callchain field so every record in a ring has one layout, but exclude both halves, so the kernel writes an
    /// empty chain and walks nothing.
    /// </summary>
    private PerfFlags CallchainFlags(int tracepointId) =>
        _options.Stacks is null ? 0
        : tracepointId == StackEvent || (tracepointId == _enterId && !SampledStacks) ? PerfFlags.ExcludeCallchainKernel
        : PerfFlags.ExcludeCallchainKernel | PerfFlags.ExcludeCallchainUser;

    private void RouteToRing(int fd, int cpu)
    {
        if (_rings[cpu] is null)
        {
            _rings[cpu] = MapRing(fd);
            _ringFds[cpu] = fd;
            return;
        }

        if (LibC.Ioctl(fd, PerfConstants.IocSetOutput, _ringFds[cpu]) != 0)
        {
            throw Failure("PERF_EVENT_IOC_SET_OUTPUT", Marshal.GetLastPInvokeError());
        }
    }

    private const string ReducedRingsNote = "perf ring buffers reduced to";

    private PerfRingBuffer MapRing(int fd)
    {
        // An unprivileged user may map only perf_event_mlock_kb; halve the ring until it fits.
        var pages = _options.BufferPagesPerCpu;
        while (true)
        {
            try
            {
                var ring = new PerfRingBuffer(fd, pages);
                // Said once, with the size every CPU's ring got (each CPU halves from the same limit).
                if (pages < _options.BufferPagesPerCpu && !_notes.Any(n => n.StartsWith(ReducedRingsNote, StringComparison.Ordinal)))
                {
                    _notes.Add($"{ReducedRingsNote} {pages * Environment.SystemPageSize / 1024} KiB per CPU (mlock limit): lost events are more likely");
                }

                return ring;
            }
            catch (AdvisorException) when (pages > 16)
            {
                pages /= 2;
            }
        }
    }

    private void StartDraining()
    {
        _drainThread = new Thread(DrainLoop) { IsBackground = true, Name = "advisor perf drain" };
        _drainThread.Start();
    }

    // Every CPU's ring exists once the first thread is open (it opens on all CPUs), so the set of rings
    // is fixed by the time draining starts.
    private void DrainLoop()
    {
        var rings = _rings.Where(r => r is not null).Select(r => r!).ToArray();
        var pollFds = new LibC.PollFd[rings.Length + 1];
        var ringIndex = 0;
        for (var cpu = 0; cpu < _rings.Length; cpu++)
        {
            if (_rings[cpu] is not null)
            {
                pollFds[ringIndex++] = new LibC.PollFd { Fd = _ringFds[cpu], Events = LibC.PollIn };
            }
        }

        pollFds[^1] = new LibC.PollFd { Fd = _wake.Fd, Events = LibC.PollIn }; // poll(2) skips a negative fd
        while (!_stopping)
        {
            // Read before the pass: a pass whose watermark is past the pause has decoded all the kernel wrote.
            var pausedAt = Volatile.Read(ref _pausedAtNs);
            var watermark = MonotonicClock.NowNs() - ReorderWindowNs;
            DrainInOrder(rings, watermark);
            var timeout = pausedAt != 0 && watermark >= pausedAt ? PausedPollMs : _options.PollIntervalMs;
            fixed (LibC.PollFd* fds = pollFds)
            {
                _ = LibC.Poll(fds, (ulong)pollFds.Length, timeout);
            }

            _wake.Reset();
        }
    }

    /// <summary>
    /// Decodes the records of all rings in timestamp order, up to <paramref name="watermark"/>. Each ring is in
    /// order by itself; merging them keeps a thread's calls in order across CPU migrations, so a close is
    /// seen before the next open that reuses its fd, and a write run before the read that ends it.
    /// Records newer than the watermark wait for the next pass: a CPU may still be writing older ones.
    /// </summary>
    private void DrainInOrder(PerfRingBuffer[] rings, long watermark)
    {
        foreach (var ring in rings)
        {
            ring.BeginPass();
        }

        while (true)
        {
            var best = -1;
            var bestTime = long.MaxValue;
            for (var i = 0; i < rings.Length; i++)
            {
                if (rings[i].TryPeek(out var time, out _) && time <= watermark && (best < 0 || time < bestTime))
                {
                    best = i;
                    bestTime = time;
                }
            }

            if (best < 0)
            {
                break;
            }

            rings[best].TryPeek(out _, out var record);
            _decoder.Decode(record);
            rings[best].Advance();
        }

        foreach (var ring in rings)
        {
            ring.EndPass();
        }
    }

    /// <summary>
    /// Disables every event (ioctl on an inherited event reaches the threads that inherited it, and threads created
    /// while disabled inherit it disabled): the kernel writes nothing and the target pays only the tracepoints'
    /// enabled-check. The pairer is told first, so that no call entered before is paired with an exit after.
    /// </summary>
    public void Pause()
    {
        _pairer.Pausing(MonotonicClock.NowNs());
        foreach (var fd in _eventFds)
        {
            _ = LibC.Ioctl(fd, PerfConstants.IocDisable, 0);
        }

        Volatile.Write(ref _pausedAtNs, MonotonicClock.NowNs()); // after: every record was written before this
    }

    public void Resume()
    {
        foreach (var fd in _eventFds)
        {
            _ = LibC.Ioctl(fd, PerfConstants.IocEnable, 0);
        }

        Volatile.Write(ref _pausedAtNs, 0);
        _wake.Set();
    }

    public SourceStatistics Stop()
    {
        if (_statistics is not null)
        {
            return _statistics;
        }

        foreach (var fd in _eventFds)
        {
            _ = LibC.Ioctl(fd, PerfConstants.IocDisable, 0);
        }

        _stopping = true;
        _wake.Set();
        _drainThread?.Join();
        // After the events are disabled nothing more is written: one last pass empties every ring.
        DrainInOrder(_rings.Where(r => r is not null).Select(r => r!).ToArray(), long.MaxValue);

        _pairer.Finish();
        Dispose();
        if (_decoder.Malformed > 0)
        {
            // Should never happen; said rather than hidden, since every such record is a call not counted.
            _notes.Add(string.Create(CultureInfo.InvariantCulture, $"{_decoder.Malformed:N0} perf records could not be decoded and were skipped: counts are lower bounds"));
        }

        _statistics = new SourceStatistics(_decoder.Samples, _decoder.Lost, _pairer.Unpaired, _notes.ToArray())
        {
            // After detaching: the target is no longer recorded while the tool measures itself.
            Tracer = MeasureCost(),
        };
        return _statistics;
    }

    public Task<TracerCost> MeasureCost() => _options.Calibrate
        // Every call's stack walked while calibrating: what one walk costs is what is measured.
        ? TracerCalibration.Measure((tid, sink, stacks) => AttachThread(tid, sink, _options with { Stacks = stacks, StackMode = StackMode.All, Calibrate = false }), _options.Stacks is not null)
        : Task.FromResult(TracerCost.None);

    public void Dispose()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _stopping = true;
        _wake.Set();
        if (_drainThread is { IsAlive: true } && _drainThread != Thread.CurrentThread)
        {
            _drainThread.Join();
        }

        _wake.Dispose();

        foreach (var ring in _rings)
        {
            ring?.Dispose();
        }

        foreach (var fd in _eventFds)
        {
            _ = LibC.Close(fd);
        }

        _eventFds.Clear();
    }

    private static AdvisorException Failure(string call, int errno) => errno switch
    {
        LibC.Eacces or LibC.Eperm => new AdvisorException(
            FailureKind.Privilege,
            $"{call} was refused ({LibC.LastErrorMessage(errno)}): run as root, or grant CAP_PERFMON and CAP_SYS_PTRACE " +
            "(setcap cap_perfmon,cap_sys_ptrace+ep), or allow it with `sysctl kernel.perf_event_paranoid=-1`, or use --backend ptrace or proc"),
        LibC.Emfile => new AdvisorException(
            FailureKind.Internal,
            $"{call}: too many open files; raise the limit with `ulimit -n 65536`"),
        LibC.Enoent or LibC.Enosys or LibC.Einval => new AdvisorException(
            FailureKind.Privilege,
            $"{call} failed ({LibC.LastErrorMessage(errno)}): this kernel does not offer the raw_syscalls tracepoints to perf; use --backend ptrace or proc"),
        _ => new AdvisorException(FailureKind.Internal, $"{call} failed: {LibC.LastErrorMessage(errno)}"),
    };
}
