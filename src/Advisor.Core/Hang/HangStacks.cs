using Advisor.Core.Stacks;

namespace Advisor.Core.Hang;

/// <summary>
/// What a managed stack of a stalled process says, read the way the runtime names frames (ClrMD; the
/// portable thread pool, checked on .NET 10): whether a pool worker runs a work item or is parked in the
/// pool's own wait, the .NET call it blocks in, the code that made that call, whether it serves an HTTP request.
/// </summary>
/// <remarks>
/// On .NET 10 a parked worker is <c>LowLevelLifoSemaphore.WaitNative ← LowLevelLifoSemaphore.WaitForSignal
/// ← PortableThreadPool+WorkerThread.WorkerThreadStart ← Thread.StartCallback</c>; a worker inside a work item
/// has <c>ThreadPoolWorkQueue.Dispatch</c> between its loop and the item, whatever the item's own frames are
/// (application code, ASP.NET Core, a compiled <c>lambda_method1</c>).
/// </remarks>
public static class HangStacks
{
    /// <summary>The pool's dispatch loop: every work item runs under it.</summary>
    private const string Dispatch = "System.Threading.ThreadPoolWorkQueue.Dispatch";

    /// <summary>A worker's thread routine: it parks in the pool's semaphore here between work items.</summary>
    private const string WorkerLoop = "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart";

    /// <summary>Where every thread started by the runtime begins: a stack that ends here is whole.</summary>
    private const string ThreadStart = "System.Threading.Thread.StartCallback";

    /// <summary>
    /// Frames of the machinery that runs a work item or a continuation, not of anything it called: a run of
    /// base library frames that reaches them was not called by code a reader wrote.
    /// </summary>
    private static readonly string[] Plumbing =
    [
        "System.Threading.ThreadPoolWorkQueue.", "System.Threading.PortableThreadPool", "System.Threading.ExecutionContext.",
        "System.Runtime.CompilerServices.Async", "System.Threading.Tasks.Task.ExecuteWith", "System.Threading.Tasks.Task.InnerInvoke",
        ThreadStart,
    ];

    /// <summary>Frames only an HTTP request being served puts on a stack (ASP.NET Core: Kestrel, hosting, routing, MVC).</summary>
    private static readonly string[] RequestFrames =
    [
        "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol", "Microsoft.AspNetCore.Hosting.HostingApplication",
        "Microsoft.AspNetCore.Routing.", "Microsoft.AspNetCore.Mvc.", "Microsoft.AspNetCore.Http.RequestDelegateFactory",
        "Microsoft.AspNetCore.Http.Generated.",
    ];

    /// <summary>The worker runs a work item: the pool's dispatch loop is on its stack.</summary>
    public static bool RunsWorkItem(CallStack stack) => Has(stack, Dispatch);

    /// <summary>The worker is parked in the pool's own wait: its thread routine is there, no work item is.</summary>
    public static bool ParkedInPool(CallStack stack) => !RunsWorkItem(stack) && Has(stack, WorkerLoop);

    /// <summary>The stack reaches the thread's start: it was not cut short (deep work items are).</summary>
    public static bool IsWhole(CallStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Frames.Count > 0 && stack.Frames[^1].Name == ThreadStart;
    }

    /// <summary>
    /// The .NET call the thread blocks in, as the code that made it wrote it: the outermost frame of the run of
    /// base library frames at the top of the stack — <c>Task.Wait</c> above <c>Task.InternalWait</c>,
    /// <c>ManualResetEventSlim.Wait</c> and <c>Monitor.Wait</c>; <c>NetworkStream.Read</c> above
    /// <c>Socket.Receive</c>. When that run reaches the pool's machinery, the innermost frame. Null when the
    /// top frame is not the base library's.
    /// </summary>
    public static string? BlockingCall(CallStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        StackFrame? api = null;
        foreach (var frame in stack.Frames)
        {
            if (!IsBaseLibrary(frame))
            {
                break;
            }

            if (IsPlumbing(frame))
            {
                return CallStack.ShortName(stack.Frames[0].Name);
            }

            api = frame;
        }

        return api is null ? null : CallStack.ShortName(api.Name);
    }

    /// <summary>
    /// The code that made the blocking call, as a reader would know it: the first application frame; else the
    /// first frame past the base library's run that is not the pool's machinery — for a minimal API whose
    /// handler has no frame of its own, the request delegate ASP.NET Core compiled (<c>lambda_method1</c>).
    /// </summary>
    public static string? Handler(CallStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.Frames.FirstOrDefault(f => f.Kind == FrameKind.User) is { } user)
        {
            return user.Name;
        }

        return stack.Frames.SkipWhile(IsBaseLibrary).FirstOrDefault(f => !IsPlumbing(f) && f.Kind is FrameKind.Framework)?.Name;
    }

    /// <summary>The thread is serving an HTTP request: ASP.NET Core's request frames are on its stack.</summary>
    public static bool ServesRequest(CallStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Frames.Any(f => RequestFrames.Any(p => f.Name.StartsWith(p, StringComparison.Ordinal))
            || (f.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) && f.Name.Contains("Middleware", StringComparison.Ordinal)));
    }

    private static bool Has(CallStack stack, string frame)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Frames.Any(f => f.Name == frame);
    }

    /// <summary>
    /// .NET's base library and its interop stubs (<c>Interop+Sys.Read</c>, <c>IL_STUB_PInvoke</c>): what a
    /// blocking call is made of. ASP.NET Core (<c>Microsoft.*</c>) and compiled delegates are callers.
    /// </summary>
    private static bool IsBaseLibrary(StackFrame frame) => frame.Kind == FrameKind.Framework
        && (frame.Name.StartsWith("System.", StringComparison.Ordinal) || frame.Name.StartsWith("Interop", StringComparison.Ordinal)
            || frame.Name.StartsWith("ILStubClass", StringComparison.Ordinal) || frame.Name.StartsWith("(dynamicClass).IL_STUB", StringComparison.Ordinal));

    private static bool IsPlumbing(StackFrame frame) => Plumbing.Any(p => frame.Name.StartsWith(p, StringComparison.Ordinal));
}
