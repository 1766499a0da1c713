using Advisor.Core.Hang;
using Advisor.Core.Stacks;
using Advisor.Runtime.EventPipe;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.Runtime;

namespace Advisor.Runtime.Inspection;

/// <summary>
/// Reads a live .NET process's managed threads, stacks and held Monitors with ClrMD, for hang triage. The
/// process is paused (ptrace) only while the runtime's data is read — a fraction of a second — and resumed
/// when the data target is disposed, whatever happens. Works when every managed thread is blocked, because
/// nothing runs inside the target to answer: its memory is read from outside.
/// </summary>
public static class RuntimeInspector
{
    private const int MaxFrames = 64;

    /// <summary>The runtime's state, or null when the process has no CLR (not .NET).</summary>
    /// <exception cref="RuntimeUnavailableException">Attaching or reading failed; the message says why.</exception>
    public static RuntimeState? Inspect(int pid)
    {
        DataTarget target;
        try
        {
            target = DataTarget.AttachToProcess(pid, suspend: true);
        }
        catch (Exception e) when (e is ClrDiagnosticsException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            throw new RuntimeUnavailableException($"cannot read the .NET runtime of process {pid}: {e.Message}", e);
        }

        using (target)
        {
            if (target.ClrVersions.IsDefaultOrEmpty)
            {
                return null;
            }

            try
            {
                using var runtime = target.ClrVersions[0].CreateRuntime();
                return Read(runtime, target.ClrVersions[0].Version.ToString());
            }
            catch (Exception e) when (e is ClrDiagnosticsException or IOException or InvalidOperationException or NotSupportedException)
            {
                throw new RuntimeUnavailableException($"cannot read the .NET runtime of process {pid}: {e.Message}", e);
            }
        }
    }

    private static RuntimeState Read(ClrRuntime runtime, string version)
    {
        var owners = runtime.Threads.Where(t => t.Address != 0).ToDictionary(t => t.Address, t => (int)t.OSThreadId);
        var held = runtime.Heap.EnumerateSyncBlocks()
            .Where(s => s.IsMonitorHeld && owners.ContainsKey(s.HoldingThreadAddress))
            .ToDictionary(s => s.Object, s => (Owner: owners[s.HoldingThreadAddress], Type: runtime.Heap.GetObjectType(s.Object)?.Name ?? "object"));

        var threads = new List<ManagedThread>();
        var waiters = new Dictionary<ulong, List<int>>();
        foreach (var thread in runtime.Threads.Where(t => t.IsAlive && t.OSThreadId != 0))
        {
            var tid = (int)thread.OSThreadId;
            var stack = Stack(thread);
            var roots = thread.EnumerateStackRoots().ToList();
            threads.Add(new ManagedThread(tid, thread.ManagedThreadId, IsPoolWorker(thread, stack), stack, ServedRequests.Find(roots))
            {
                SocketFds = HeldSockets.Find(roots),
            });
            if (WaitedLock(roots, tid, held) is { } address)
            {
                (waiters.TryGetValue(address, out var list) ? list : waiters[address] = []).Add(tid);
            }
        }

        var locks = held.Select(h => new MonitorLock(h.Key, h.Value.Type, h.Value.Owner, waiters.GetValueOrDefault(h.Key) ?? [])).ToList();
        var pool = runtime.ThreadPool;
        var workers = threads.Count(t => t.IsThreadPoolWorker);
        return new RuntimeState(
            version,
            threads,
            locks,
            pool?.ActiveWorkerThreads + pool?.IdleWorkerThreads ?? workers,
            pool?.IdleWorkerThreads ?? 0,
            pool?.MinThreads ?? Environment.ProcessorCount,
            null);
    }

    /// <summary>
    /// The runtime flags its pool threads; the pool's gate thread (which injects workers) carries the flag too
    /// but never runs work.
    /// </summary>
    private static bool IsPoolWorker(ClrThread thread, CallStack stack) => (thread.State & ClrThreadState.TS_TPWorkerThread) != 0
        && !stack.Frames.Any(f => f.Name.StartsWith("System.Threading.PortableThreadPool+GateThread", StringComparison.Ordinal));

    private static CallStack Stack(ClrThread thread)
    {
        var frames = new List<StackFrame>();
        foreach (var frame in thread.EnumerateStackTrace(includeContext: false))
        {
            if (frame.Method is { } method)
            {
                var type = method.Type?.Name ?? "";
                var name = method.Name ?? "?";
                // LibraryImport's generated marshalling stub sits in the user's type but is not the user's code.
                var framework = MethodNames.IsFramework(type) || name == "__PInvoke";
                frames.Add(new StackFrame(MethodNames.Display(type, name), framework ? FrameKind.Framework : FrameKind.User));
                if (frames.Count == MaxFrames)
                {
                    break;
                }
            }
        }

        return new CallStack(frames);
    }

    /// <summary>
    /// The held Monitor a thread is trying to enter: the object its Monitor.Enter frame keeps alive, when
    /// another thread holds it.
    /// </summary>
    private static ulong? WaitedLock(List<ClrStackRoot> roots, int tid, Dictionary<ulong, (int Owner, string Type)> held)
    {
        foreach (var root in roots)
        {
            if (root.StackFrame?.Method?.Type?.Name == "System.Threading.Monitor"
                && held.TryGetValue(root.Object.Address, out var owner)
                && owner.Owner != tid)
            {
                return root.Object.Address;
            }
        }

        return null;
    }
}
