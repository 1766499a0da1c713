using System.Diagnostics;
using System.Runtime.InteropServices;
using Advisor.Core.Events;
using Advisor.Core.Failures;
using Advisor.Core.Sources;
using Advisor.Linux.Native;
using Advisor.Linux.Procfs;

namespace Advisor.Linux.Ptrace;

/// <summary>
/// The ptrace backend: for where perf is locked down but the tool may trace the target (the same user, or
/// CAP_SYS_PTRACE). Every thread is seized (PTRACE_SEIZE, so nothing stops at attach) and stopped at each
/// syscall's entry and exit, which gives every call exactly, with its arguments, result and stack, at the
/// price of two stops per call.
/// </summary>
/// <remarks>
/// One dedicated thread makes every ptrace call (the kernel ties tracees to the thread that seized them).
/// Never PTRACE_O_EXITKILL: if the tool dies, the kernel detaches and the target runs on. A stop this tool did
/// not cause (a signal for the target, a job-control stop) is passed on as the target would have had it.
/// </remarks>
public sealed unsafe class PtraceSyscallSource : ISyscallSource
{
    private const int Options = PtraceNative.OptionTraceSysGood | PtraceNative.OptionTraceClone | PtraceNative.OptionTraceExec;

    // Threads created while the first ones are seized are seized by their creator's clone event, or by a
    // further listing: a few rounds always settle.
    private const int SeizeRounds = 20;
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WakeUpInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SpinBeforeSleeping = TimeSpan.FromMicroseconds(50);

    private readonly int _pid;
    private readonly ISyscallSink _sink;
    private readonly PtraceOptions _options;
    private readonly ThreadStackWalker? _walker;
    private readonly Dictionary<int, TracedThread> _threads = new();
    private readonly Thread _tracer;
    private readonly ManualResetEventSlim _attached = new();
    private readonly int _self = Environment.ProcessId;
    private AdvisorException? _attachFailure;
    private string? _failure;
    private volatile bool _stopping;
    private volatile int _tracerTid;
    private bool _stopped;
    private long _stops;
    private long _unpaired;

    private PtraceSyscallSource(int pid, ISyscallSink sink, PtraceOptions options)
    {
        _pid = pid;
        _sink = sink;
        _options = options;
        _walker = options.Stacks is null ? null : new ThreadStackWalker(options.MaxStackDepth, options.StackCopyBytes);
        _tracer = new Thread(Trace) { IsBackground = true, Name = "advisor ptrace tracer" };
    }

    public string Name => "ptrace";

    /// <summary>Seizes every thread of a running process and starts recording.</summary>
    /// <exception cref="AdvisorException">No such process (exit 3), or tracing it is not allowed (exit 4, with the remedy).</exception>
    public static PtraceSyscallSource Attach(int pid, ISyscallSink sink, PtraceOptions? options = null)
    {
        ProcTasks.RequireProcess(pid);

        var source = new PtraceSyscallSource(pid, sink, options ?? PtraceOptions.Default);
        source._tracer.Start();
        source._attached.Wait();
        if (source._attachFailure is { } failure)
        {
            source._tracer.Join();
            throw failure;
        }

        return source;
    }

    public SourceStatistics Stop()
    {
        if (!_stopped)
        {
            _stopped = true;
            _stopping = true;

            // The tracer may be waiting on a target whose threads are all blocked: a signal to the tracer thread
            // itself ends its wait (again, should it arrive just before the wait began).
            while (!_tracer.Join(WakeUpInterval))
            {
                TracerWakeUp.Wake(_tracerTid);
            }
        }

        string[] notes = [
            "ptrace backend: every call is exact, but each one stops its thread twice (entry and exit), which slows a "
                + "syscall-heavy target many times over (time spent in calls includes that cost); child processes are not followed",
        ];
        return new SourceStatistics(_stops, 0, _unpaired, _failure is null ? notes : [.. notes, _failure]);
    }

    public void Dispose()
    {
        Stop();
        _attached.Dispose();
    }

    private void Trace()
    {
        _tracerTid = TracerWakeUp.PrepareThisThread();
        try
        {
            SeizeAll();
        }
        catch (Exception e)
        {
            _attachFailure = e as AdvisorException ?? new AdvisorException(FailureKind.Internal, $"ptrace attach failed: {e.Message}");
            DetachAll();
            _attached.Set();
            return;
        }

        _attached.Set();
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            // Not thrown on from this thread (that would end the tool); the report says the recording stopped early.
            _failure = $"the ptrace tracer stopped early ({e.Message}): calls after that are missing";
        }
        finally
        {
            DetachAll();
        }
    }

    private void SeizeAll()
    {
        for (var round = 0; round < SeizeRounds; round++)
        {
            var fresh = ProcTasks.ThreadIds(_pid).Where(tid => !_threads.ContainsKey(tid)).ToList();
            if (fresh.Count == 0)
            {
                if (_threads.Count == 0)
                {
                    throw new AdvisorException(FailureKind.Target, $"process {_pid} exited before it could be traced");
                }

                return;
            }

            foreach (var tid in fresh)
            {
                if (PtraceNative.Call(PtraceNative.Seize, tid, 0, Options) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.Esrch)
                    {
                        continue; // exited between listing and seizing
                    }

                    throw Refused(errno);
                }

                _threads[tid] = new TracedThread();

                // Seized threads run on; an interrupt stops each once so that syscall stops can be switched on.
                _ = PtraceNative.Call(PtraceNative.Interrupt, tid, 0, 0);
            }
        }
    }

    private AdvisorException Refused(int errno)
    {
        if (ProcTasks.TracerOf(_pid) is > 0 and var tracer && tracer != _self)
        {
            return new AdvisorException(
                FailureKind.Privilege,
                $"process {_pid} is already traced by process {tracer} (a debugger or strace): stop that, or use --backend perf or proc");
        }

        return errno is LibC.Eperm or LibC.Eacces
            ? new AdvisorException(
                FailureKind.Privilege,
                $"ptrace of process {_pid} was refused ({LibC.LastErrorMessage(errno)}): run as root or as the target's user with "
                + "CAP_SYS_PTRACE (--cap-add SYS_PTRACE in a container), allow it with `sysctl kernel.yama.ptrace_scope=0`, or use --backend proc")
            : new AdvisorException(FailureKind.Internal, $"ptrace of process {_pid} failed: {LibC.LastErrorMessage(errno)}");
    }

    private void Loop()
    {
        while (!_stopping && _threads.Count > 0)
        {
            int status;
            var tid = WaitForStop(&status);
            if (tid < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.Eintr)
                {
                    continue;
                }

                return; // ECHILD: every tracee is gone
            }

            Handle(tid, new WaitStatus(status));
        }
    }

    /// <summary>
    /// The next tracee state change. A stopped thread waits for us, so the tracer first polls for a few
    /// microseconds before it sleeps: on a virtual machine, waking an idle CPU for each of a storm's stops
    /// costs more than the stop itself (measured: 3× the storm's time under ptrace).
    /// </summary>
    private static int WaitForStop(int* status)
    {
        var spin = Stopwatch.GetTimestamp();
        do
        {
            var tid = PtraceNative.WaitPid(-1, status, PtraceNative.WaitAll | PtraceNative.WaitNoThread | PtraceNative.NoHang);
            if (tid != 0)
            {
                return tid;
            }

            Thread.SpinWait(20);
        }
        while (Stopwatch.GetElapsedTime(spin) < SpinBeforeSleeping);

        return PtraceNative.WaitPid(-1, status, PtraceNative.WaitAll | PtraceNative.WaitNoThread);
    }

    private void Handle(int tid, WaitStatus status)
    {
        if (!status.Stopped)
        {
            // Exited or killed: a call it was in (exit, exit_group) never returns.
            if (_threads.Remove(tid, out var gone) && gone.InCall)
            {
                _unpaired++;
            }

            return;
        }

        _stops++;
        if (!_threads.TryGetValue(tid, out var thread))
        {
            // A new thread's first stop can come before its creator's clone event.
            _threads[tid] = thread = new TracedThread();
        }

        var signal = 0;
        if (status.IsSyscallStop)
        {
            OnSyscallStop(tid, thread);
        }
        else if (status.Event == PtraceNative.EventClone)
        {
            if (EventMessage(tid) is > 0 and var child && !_threads.ContainsKey((int)child))
            {
                _threads[(int)child] = new TracedThread();
            }
        }
        else if (status.Event == PtraceNative.EventExec)
        {
            OnExec(tid);
        }
        else if (status.IsGroupStop)
        {
            // Stopped by SIGSTOP and its kin: stays stopped, as without us, until a SIGCONT.
            _ = PtraceNative.Call(PtraceNative.Listen, tid, 0, 0);
            return;
        }
        else if (status.Event == 0)
        {
            signal = status.StopSignal; // the target's own signal: delivered as it would have been
        }

        _ = PtraceNative.Call(PtraceNative.Syscall, tid, 0, signal);
    }

    private void OnSyscallStop(int tid, TracedThread thread)
    {
        PtraceNative.SyscallInfo info;
        if (PtraceNative.Call(PtraceNative.GetSyscallInfo, tid, sizeof(PtraceNative.SyscallInfo), (nint)(&info)) <= 0)
        {
            return;
        }

        var now = MonotonicClock.NowNs();
        if (info.Op == PtraceNative.SyscallInfoEntry)
        {
            if (thread.InCall)
            {
                _unpaired++; // an entry whose exit never came (seen as restart_syscall after a stop, for one)
            }

            thread.InCall = true;
            thread.Number = (int)info.Number;
            (thread.Arg0, thread.Arg1, thread.Arg2) = (info.Arg0, info.Arg1, info.Arg2);
            thread.StackId = _walker is null ? 0 : _options.Stacks!.Intern(_pid, _walker.Walk(_pid, tid, info.InstructionPointer));
            thread.StartNs = now;
        }
        else if (info.Op == PtraceNative.SyscallInfoExit)
        {
            if (!thread.InCall)
            {
                _unpaired++; // in a call when seized: its entry was before we looked
                return;
            }

            thread.InCall = false;
            _sink.OnSyscall(new SyscallEvent(
                _pid, tid, thread.Number, thread.StartNs, now - thread.StartNs, info.ReturnValue, thread.Arg0, thread.Arg1, thread.Arg2, thread.StackId));
        }
    }

    /// <summary>
    /// An exec ends every other thread, and the thread that made it takes the process id: its execve returns
    /// there.
    /// </summary>
    private void OnExec(int tid)
    {
        if (EventMessage(tid) is > 0 and var former && (int)former != tid && _threads.Remove((int)former, out var caller))
        {
            _threads[tid] = caller;
        }

        foreach (var other in _threads.Keys.Where(t => t != tid).ToList())
        {
            _threads.Remove(other);
        }

        if (ProcessIdentity.Read(_pid) is { } identity)
        {
            _sink.OnThreadName(_pid, tid, identity.Name);
        }
    }

    private static long EventMessage(int tid)
    {
        ulong message;
        return PtraceNative.Call(PtraceNative.GetEventMsg, tid, 0, (nint)(&message)) == 0 ? (long)message : -1;
    }

    /// <summary>
    /// Stops every thread once more and lets it go: a call it is stopped in completes normally, a signal it was
    /// about to take is handed back, and no thread is left stopped or traced.
    /// </summary>
    private void DetachAll()
    {
        foreach (var tid in _threads.Keys)
        {
            _ = PtraceNative.Call(PtraceNative.Interrupt, tid, 0, 0);
        }

        var clock = Stopwatch.StartNew();
        while (_threads.Count > 0 && clock.Elapsed < DetachTimeout)
        {
            var progressed = false;
            foreach (var (tid, thread) in _threads.ToList())
            {
                int status;
                var waited = PtraceNative.WaitPid(tid, &status, PtraceNative.WaitAll | PtraceNative.WaitNoThread | PtraceNative.NoHang);
                if (waited == 0)
                {
                    continue;
                }

                progressed = true;
                _threads.Remove(tid);
                var stop = new WaitStatus(status);
                if (waited < 0 || !stop.Stopped)
                {
                    continue; // gone
                }

                if (stop.IsSyscallStop)
                {
                    OnSyscallStop(tid, thread); // the exit of a call in flight still counts
                }

                var signal = stop.Event == 0 && !stop.IsSyscallStop ? stop.StopSignal : 0;
                _ = PtraceNative.Call(PtraceNative.Detach, tid, 0, signal);
            }

            if (!progressed)
            {
                Thread.Sleep(1);
            }
        }

        // What did not stop in time (stuck in an uninterruptible call) is let go by the kernel when the tool exits.
        _threads.Clear();
    }
}
