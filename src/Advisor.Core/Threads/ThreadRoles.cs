namespace Advisor.Core.Threads;

/// <summary>
/// Infers a thread's role from its name. The runtime names its threads (Linux truncates names to 15
/// characters, hence the prefixes); runtime events refine this where they are available.
/// </summary>
public static class ThreadRoles
{
    private static readonly (string Prefix, ThreadRole Role)[] RuntimeNames =
    [
        (".NET TP Worker", ThreadRole.ThreadPoolWorker),
        (".NET Long Runni", ThreadRole.ThreadPoolWorker),
        (".NET IO", ThreadRole.IoCompletion),
        (".NET Timer", ThreadRole.Timer),
        (".NET Finalizer", ThreadRole.Finalizer),
        (".NET BGC", ThreadRole.GarbageCollector),
        (".NET Server GC", ThreadRole.GarbageCollector),
        (".NET GC", ThreadRole.GarbageCollector),
        (".NET Tiered Com", ThreadRole.TieredCompilation),
        (".NET Sockets", ThreadRole.SocketEngine),
        (".NET ", ThreadRole.RuntimeService),
    ];

    public static ThreadRole Infer(int pid, int tid, string? name, string? processName)
    {
        if (tid == pid)
        {
            return ThreadRole.Main;
        }

        if (string.IsNullOrEmpty(name))
        {
            return ThreadRole.Other;
        }

        foreach (var (prefix, role) in RuntimeNames)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return role;
            }
        }

        // A thread still carrying the process's name was never named by anyone.
        return name == processName ? ThreadRole.Other : ThreadRole.UserNamed;
    }

    /// <summary>
    /// The runtime's own threads (timer, finalizer, GC, tiering, socket engine, other ".NET" services): what
    /// they do is the runtime's business, not the application's pattern. Pool workers are not among them:
    /// application code runs there.
    /// </summary>
    public static bool IsRuntimeInternal(ThreadRole role) => role is ThreadRole.Timer or ThreadRole.Finalizer
        or ThreadRole.GarbageCollector or ThreadRole.TieredCompilation or ThreadRole.SocketEngine or ThreadRole.RuntimeService;

    /// <summary>
    /// The runtime's threads that serve the runtime itself: its diagnostics (the debugger's pipe, EventPipe
    /// sessions, the signal handler, a FileSystemWatcher's reader: <see cref="ThreadRole.RuntimeService"/>), tiering,
    /// and the timer and socket engine threads, which hand callbacks and continuations to the pool. Application
    /// code runs there only through a callback (a FileSystemWatcher's events). The finalizer runs the
    /// application's finalizers and the GC's work follows its allocations: those are not among them.
    /// </summary>
    public static bool ServesTheRuntime(ThreadRole role) => role is ThreadRole.RuntimeService or ThreadRole.TieredCompilation
        or ThreadRole.Timer or ThreadRole.SocketEngine;

    /// <summary>Every role as reports spell it, for rule files that name roles.</summary>
    public static IReadOnlyList<string> DisplayNames { get; } = Enum.GetValues<ThreadRole>().Select(Display).ToList();

    /// <summary>The role a report's (or rule file's) spelling names.</summary>
    public static bool TryParse(string display, out ThreadRole role)
    {
        role = Enum.GetValues<ThreadRole>().FirstOrDefault(r => Display(r) == display);
        return Display(role) == display;
    }

    /// <summary>The role as reports spell it (kebab-case, stable for JSON consumers).</summary>
    public static string Display(ThreadRole role) => role switch
    {
        ThreadRole.Main => "main",
        ThreadRole.ThreadPoolWorker => "threadpool-worker",
        ThreadRole.IoCompletion => "io-completion",
        ThreadRole.Timer => "timer",
        ThreadRole.Finalizer => "finalizer",
        ThreadRole.GarbageCollector => "gc",
        ThreadRole.TieredCompilation => "tiered-compilation",
        ThreadRole.SocketEngine => "socket-engine",
        ThreadRole.RuntimeService => "runtime",
        ThreadRole.UserNamed => "user-named",
        _ => "other",
    };
}
