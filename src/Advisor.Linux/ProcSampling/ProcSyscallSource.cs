using System.Diagnostics;
using System.Globalization;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Sources;
using Advisor.Linux.Procfs;
using Advisor.Linux.Syscalls;

namespace Advisor.Linux.ProcSampling;

/// <summary>
/// The /proc backend: needs neither perf nor ptrace rights, only to read the target's /proc files (the same
/// user). Every thread's read and write calls and bytes are exact (the kernel's per-thread io counters);
/// which fd they went to is inferred (a sampled syscall, or the file that grew), their kernel time is the
/// thread's system CPU time shared out, and other syscalls are seen only when a sample catches a thread
/// blocked in one. Statistical, and the report says so.
/// </summary>
/// <remarks>Only reads files: nothing in the target changes, and nothing is left behind if the tool dies.</remarks>
public sealed class ProcSyscallSource : ISyscallSource
{
    // Three descriptors per thread: a target with thousands of threads must not exhaust the tool's.
    private const int MaxOpenThreads = 1000;

    private const int WritesWorthALook = 32;

    private readonly int _pid;
    private readonly ISyscallSink _sink;
    private readonly TimeSpan _interval;
    private readonly GrowingFiles _files;
    private readonly Dictionary<int, SampledThread> _threads = new();
    private readonly Dictionary<int, ThreadFiles> _threadFiles = new();
    private readonly ProcFile _processIo;

    // One buffer pair for every read: the sampler thread is the only reader (and Attach, before it starts).
    private readonly byte[] _bytes = new byte[4096];
    private readonly char[] _chars = new char[4096];
    private readonly int _read;
    private readonly int _write;
    private readonly Dictionary<int, IoKind> _ioKinds = new();
    private readonly Thread _sampler;
    private readonly ManualResetEventSlim _stop = new();
    private Counts _process;
    private long _lastNs;
    private long _samples;
    private bool _stopped;

    private ProcSyscallSource(int pid, ISyscallSink sink, ProcOptions options)
    {
        _pid = pid;
        _sink = sink;
        _interval = TimeSpan.FromSeconds(1.0 / Math.Clamp(options.RateHz, ProcOptions.MinRateHz, ProcOptions.MaxRateHz));
        _files = new GrowingFiles(pid);
        _processIo = new ProcFile($"/proc/{pid}/io");
        var table = LinuxTables.Current;
        table.TryGetNumber("read", out _read);
        table.TryGetNumber("write", out _write);
        // The calls the io file's syscr/syscw count (the VFS read and write paths); recv and send do not go there.
        foreach (var (name, kind) in new[] { ("read", IoKind.Read), ("readv", IoKind.Read), ("pread64", IoKind.Read), ("preadv", IoKind.Read),
            ("preadv2", IoKind.Read), ("write", IoKind.Write), ("writev", IoKind.Write), ("pwrite64", IoKind.Write), ("pwritev", IoKind.Write), ("pwritev2", IoKind.Write) })
        {
            if (table.TryGetNumber(name, out var number))
            {
                _ioKinds[number] = kind;
            }
        }
        _sampler = new Thread(Sample) { IsBackground = true, Name = "advisor proc sampler" };
    }

    public string Name => "proc";

    /// <summary>Starts sampling a running process (for a launched one, from its exec on: the pid stays).</summary>
    /// <exception cref="AdvisorException">No such process (exit 3), or its /proc files are not readable (exit 4).</exception>
    public static ProcSyscallSource Attach(int pid, ISyscallSink sink, ProcOptions? options = null)
    {
        ProcTasks.RequireProcess(pid);

        var source = new ProcSyscallSource(pid, sink, options ?? ProcOptions.Default);

        // The files open now are listed before the counters are read: a file opened later is then known to hold
        // only writes counted from here, where a first listing made mid-storm would take its size as the baseline.
        source._files.Busiest(look: true);
        if (source.ReadIo(source._processIo) is not { } process)
        {
            throw new AdvisorException(
                FailureKind.Privilege,
                $"/proc/{pid}/io is not readable: run as the target's user or as root");
        }

        source._process = process;
        source._lastNs = MonotonicClock.NowNs();
        foreach (var tid in ProcTasks.ThreadIds(pid))
        {
            if (source.Read(tid) is { } first)
            {
                source._threads[tid] = new SampledThread(first);
            }
        }

        source._sampler.Start();
        return source;
    }

    public SourceStatistics Stop()
    {
        if (!_stopped)
        {
            _stopped = true;
            _stop.Set();
            _sampler.Join();
        }

        return new SourceStatistics(_samples, 0, 0, [
            string.Create(CultureInfo.InvariantCulture, $"/proc backend, sampled {1 / _interval.TotalSeconds:0} times a second: read and write counts and bytes are exact per thread; ")
                + "which fd and syscall they went to is inferred, their kernel time is estimated from system CPU time, and other syscalls "
                + "appear only when a sample caught a thread blocked in one (statistical; no stacks; if the target exited, its last interval is missing)",
        ]);
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
        _processIo.Dispose();
        foreach (var files in _threadFiles.Values)
        {
            files.Dispose();
        }

        _threadFiles.Clear();
    }

    private void Sample()
    {
        var clock = Stopwatch.StartNew();
        var next = _interval;
        while (!_stop.Wait(Max(TimeSpan.Zero, next - clock.Elapsed)))
        {
            next += _interval;
            if (!SampleOnce())
            {
                return; // the process is gone
            }
        }

        SampleOnce();
    }

    /// <summary>One round over every thread: events for what each did since the last round.</summary>
    private bool SampleOnce()
    {
        var now = MonotonicClock.NowNs();
        var tids = ProcTasks.ThreadIds(_pid);
        var process = ReadIo(_processIo);
        if (tids.Count == 0 || process is null)
        {
            return false;
        }

        _samples++;
        var rounds = new List<(int Tid, ThreadSample Sample, SampledThread State, Counts Delta)>(tids.Count);
        var counted = default(Counts);
        foreach (var tid in tids)
        {
            if (Read(tid) is { } sample)
            {
                var state = _threads.TryGetValue(tid, out var known) ? known : _threads[tid] = new SampledThread(default);
                var delta = new Counts(sample.Reads, sample.Writes, sample.ReadBytes, sample.WrittenBytes)
                    - new Counts(state.Last.Reads, state.Last.Writes, state.Last.ReadBytes, state.Last.WrittenBytes);
                rounds.Add((tid, sample, state, delta));
                counted += delta;
            }
        }

        // Threads that exited since the last round took their last counts with them; the process's totals kept
        // them: what the live threads do not account for was theirs (given to the one that wrote most).
        var p = process.Value;
        var rest = p - _process - counted;
        var gone = _threads.Where(t => !tids.Contains(t.Key)).OrderByDescending(t => t.Value.Last.Writes).ToList();

        // Writes whose fd no sample showed go to the file that grew; when a thread made many such writes, the
        // fds are listed now, so a file opened in this very interval is found at once. A few writes (the
        // runtime's own wake-ups on eventfds and pipes, in every interval of any .NET process) wait for the
        // periodic listing: listing every fd of a service a hundred times a second cost more than the rest.
        var look = rounds.Any(r => r.Delta.Writes >= WritesWorthALook && r.State.WriteFd is null)
            || (gone.Count > 0 && rest.Writes >= WritesWorthALook && gone[0].Value.WriteFd is null);
        var growing = _files.Busiest(look);
        foreach (var (tid, sample, state, d) in rounds)
        {
            state.Observe(sample.Blocked, _lastNs, now, KindOf, tid, _pid, _sink);
            Emit(tid, state, d, sample.SystemNs - state.Last.SystemNs, growing, now);
            state.Last = sample;
        }

        if (gone.Count > 0 && (rest.Reads > 0 || rest.Writes > 0))
        {
            Emit(gone[0].Key, gone[0].Value, rest, 0, growing, now);
        }

        foreach (var (tid, _) in gone)
        {
            _threads.Remove(tid);
            Forget(tid);
        }

        _process = p;
        _lastNs = now;
        return true;
    }

    private void Emit(int tid, SampledThread thread, Counts d, long systemNs, int? growing, long now)
    {
        // The counters are read a moment before the sizes: writes can be counted in the round after the one whose
        // sizes took their growth. The last writes of a storm went where the thread's writes last went; its first
        // writes, to the file that grew in the round before.
        var writeFd = thread.WriteFd ?? growing ?? thread.GrewFd ?? _files.PreviousBusiest ?? ProcfsIntrospector.UnknownFd;
        if (growing is not null && d.Writes > 0)
        {
            thread.GrewFd = growing;
        }

        IoEvents.Emit(_sink, _pid, tid, _lastNs, now, d.Reads, d.Writes, d.ReadBytes, d.WrittenBytes, systemNs,
            read: (thread.ReadNumber ?? _read, thread.ReadFd ?? ProcfsIntrospector.UnknownFd), write: (thread.WriteNumber ?? _write, writeFd));
    }

    private IoKind KindOf(int number) => _ioKinds.GetValueOrDefault(number);

    private ThreadSample? Read(int tid)
    {
        if (!_threadFiles.TryGetValue(tid, out var files))
        {
            // Kept open while the thread lives, up to a bound on the tool's descriptors; past it, opened per read.
            _threadFiles[tid] = files = new ThreadFiles(_pid, tid, keepOpen: _threadFiles.Count < MaxOpenThreads);
        }

        if (ReadIo(files.Io) is not { } io)
        {
            Forget(tid); // gone before it was read, or not ours to read: nothing kept for it
            return null;
        }

        var systemNs = ThreadSample.SystemTimeNs(files.Stat.Read(_bytes, _chars));
        var syscall = files.Syscall.Read(_bytes, _chars); // needs ptrace-read access: without it, no blocked calls
        return new ThreadSample(io.Reads, io.Writes, io.ReadBytes, io.WrittenBytes, systemNs, syscall.IsEmpty ? null : ThreadSample.ParseSyscall(syscall));
    }

    private void Forget(int tid)
    {
        if (_threadFiles.Remove(tid, out var files))
        {
            files.Dispose();
        }
    }

    private Counts? ReadIo(ProcFile file) =>
        ThreadSample.TryParseIo(file.Read(_bytes, _chars), out var r, out var w, out var rb, out var wb) ? new Counts(r, w, rb, wb) : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Read and write calls and bytes, as the io files count them.</summary>
internal readonly record struct Counts(long Reads, long Writes, long ReadBytes, long WrittenBytes)
{
    public static Counts operator +(Counts a, Counts b) => new(a.Reads + b.Reads, a.Writes + b.Writes, a.ReadBytes + b.ReadBytes, a.WrittenBytes + b.WrittenBytes);

    public static Counts operator -(Counts a, Counts b) => new(a.Reads - b.Reads, a.Writes - b.Writes, a.ReadBytes - b.ReadBytes, a.WrittenBytes - b.WrittenBytes);
}
