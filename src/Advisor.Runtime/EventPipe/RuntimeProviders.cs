using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// What the advisor asks the runtime for. Two sessions, because EventPipe walks a stack for every event of
/// a session that wants stacks: contention (rare, and its stack is the point) gets them; everything else
/// (method loads, thread-pool work items, waits — frequent) does not.
/// </summary>
internal static class RuntimeProviders
{
    public const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>The managed thread pool reports its work items here (ThreadPoolEnqueueWork/DequeueWork).</summary>
    public const string FrameworkProvider = "System.Diagnostics.Eventing.FrameworkEventSource";

    /// <summary>ASP.NET Core's hosting EventSource: its counters say how many requests a server handles.</summary>
    public const string HostingProvider = "Microsoft.AspNetCore.Hosting";

    /// <summary>
    /// Counters only: they are written at LogAlways, so Critical leaves out the per-request RequestStart/Stop
    /// events (two per request, a cost proportional to the load) while a sample still comes every half second (finer samples contended with the runtime's own counter lock).
    /// </summary>
    private static readonly EventPipeProvider HostingCounters = new(
        HostingProvider, EventLevel.Critical, 0, new Dictionary<string, string> { ["EventCounterIntervalSec"] = "0.5" });

    private const long FrameworkThreadPoolKeywords = 0x2 | 0x10; // ThreadPool | ThreadTransfer

    /// <summary>WaitHandleWaitStart/Stop (.NET 9+); older runtimes ignore the bit.</summary>
    private const long WaitHandleKeyword = 0x40000000000;

    private const long EventKeywords = (long)(
        ClrTraceEventParser.Keywords.Jit
        | ClrTraceEventParser.Keywords.Loader
        | ClrTraceEventParser.Keywords.GC
        | ClrTraceEventParser.Keywords.Exception
        | ClrTraceEventParser.Keywords.Threading);

    /// <summary>Buffer in the target; a session that cannot keep up drops events rather than block it.</summary>
    private const int BufferMb = 64;

    /// <summary>
    /// Method loads need Verbose (MethodLoadVerbose carries the names); the rundown at the end names what
    /// was compiled before the session, ReadyToRun code included.
    /// </summary>
    public static EventPipeSessionConfiguration Events { get; } = new(
        [
            new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, EventKeywords),
            new EventPipeProvider(FrameworkProvider, EventLevel.Verbose, FrameworkThreadPoolKeywords),
            HostingCounters,
        ],
        BufferMb,
        requestRundown: true,
        requestStackwalk: false);

    /// <summary>
    /// Contention and blocking waits, with the stack of the thread that blocks: they are where a lock or a
    /// sync-over-async wait sits in the code, and the thread is about to sleep anyway, so the walk is cheap
    /// next to what it reports. (Wait events are Verbose.)
    /// </summary>
    public static EventPipeSessionConfiguration Contention { get; } = new(
        [new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.Contention | WaitHandleKeyword)],
        16,
        requestRundown: false,
        requestStackwalk: true);
}
