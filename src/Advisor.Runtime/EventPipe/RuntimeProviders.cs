using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// What the advisor asks the runtime for, in up to three sessions. EventPipe walks a stack for every event of a
/// session that wants stacks: contention and blocking waits (rare, and their stack is the point) get them; the
/// rest does not. And a session asks for each provider at one level: method loads need Verbose, which for the
/// GC keyword would also bring the events the GC writes at Verbose (an allocation tick every 100 KB, a join
/// event at every step of a server GC, from inside the collection), none of which a rule reads; so the GC and
/// exceptions have a session of their own at Informational.
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

    /// <summary>The parts the session with stacks asks for; the other sessions ask for the rest.</summary>
    public const RuntimeEventParts WithStacks = RuntimeEventParts.Contention | RuntimeEventParts.Waits;

    /// <summary>The parts whose events are all Informational or above (GCStart/GCStop, ExceptionThrown), asked for at that level.</summary>
    public const RuntimeEventParts AtInformational = RuntimeEventParts.Gc | RuntimeEventParts.Exceptions;

    /// <summary>Buffer in the target; a session that cannot keep up drops events rather than block it.</summary>
    private const int BufferMb = 64;

    /// <summary>
    /// The Verbose session, without stacks. Method loads need Verbose (MethodLoadVerbose carries the names); the
    /// rundown at the end names what was compiled before the session, ReadyToRun code included. The loader's
    /// module events are always asked for: they say whose code a method is, and are a handful.
    /// </summary>
    public static EventPipeSessionConfiguration Events(RuntimeEventParts parts)
    {
        var keywords = ClrTraceEventParser.Keywords.Loader;
        keywords |= parts.HasFlag(RuntimeEventParts.Jit) ? ClrTraceEventParser.Keywords.Jit : 0;
        keywords |= parts.HasFlag(RuntimeEventParts.ThreadPool) ? ClrTraceEventParser.Keywords.Threading : 0;
        List<EventPipeProvider> providers = [new(RuntimeProvider, EventLevel.Verbose, (long)keywords)];
        if (parts.HasFlag(RuntimeEventParts.WorkItems))
        {
            providers.Add(new EventPipeProvider(FrameworkProvider, EventLevel.Verbose, FrameworkThreadPoolKeywords));
        }

        if (parts.HasFlag(RuntimeEventParts.Requests))
        {
            providers.Add(HostingCounters);
        }

        return new EventPipeSessionConfiguration(providers, BufferMb, requestRundown: true, requestStackwalk: false);
    }

    /// <summary>Collections and exceptions, at Informational, without stacks. Null when neither is asked for.</summary>
    public static EventPipeSessionConfiguration? Informational(RuntimeEventParts parts)
    {
        var keywords = (parts.HasFlag(RuntimeEventParts.Gc) ? ClrTraceEventParser.Keywords.GC : 0)
            | (parts.HasFlag(RuntimeEventParts.Exceptions) ? ClrTraceEventParser.Keywords.Exception : 0);
        return keywords == 0
            ? null
            : new EventPipeSessionConfiguration(
                [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, (long)keywords)], 16, requestRundown: false, requestStackwalk: false);
    }

    /// <summary>
    /// Contention and blocking waits, with the stack of the thread that blocks: they are where a lock or a
    /// sync-over-async wait sits in the code, and the thread is about to sleep anyway, so the walk is cheap
    /// next to what it reports. (Wait events are Verbose.) Null when neither is asked for.
    /// </summary>
    public static EventPipeSessionConfiguration? Contention(RuntimeEventParts parts)
    {
        var keywords = (parts.HasFlag(RuntimeEventParts.Contention) ? (long)ClrTraceEventParser.Keywords.Contention : 0)
            | (parts.HasFlag(RuntimeEventParts.Waits) ? WaitHandleKeyword : 0);
        return keywords == 0
            ? null
            : new EventPipeSessionConfiguration(
                [new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, keywords)], 16, requestRundown: false, requestStackwalk: true);
    }
}
