using Advisor.Core.Events;
using Advisor.Runtime.Symbols;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Advisor.Runtime.EventPipe;

/// <summary>
/// Subscribes to the runtime events of one session and turns each into a <see cref="RuntimeEvent"/> on the
/// syscalls' thread ids and clock, or into a method range for the method map.
/// </summary>
/// <remarks>
/// On Linux the runtime stamps events with CLOCK_MONOTONIC in nanoseconds (its QueryPerformanceCounter),
/// the clock perf is told to use, so the raw QPC value is the timestamp: no conversion, no drift.
/// </remarks>
internal sealed class ClrEventRouter
{
    private readonly IRuntimeEventSink _sink;
    private readonly ManagedMethodMap _methods;
    private readonly bool _stacks;
    private readonly ulong[] _stackBuffer = new ulong[128];

    private ClrEventRouter(IRuntimeEventSink sink, ManagedMethodMap methods, bool stacks)
    {
        _sink = sink;
        _methods = methods;
        _stacks = stacks;
    }

    public static void Attach(EventPipeEventSource source, IRuntimeEventSink sink, ManagedMethodMap methods, bool stacks)
    {
        var router = new ClrEventRouter(sink, methods, stacks);
        var clr = source.Clr;
        clr.ContentionStart += e => router.Emit(RuntimeEventKind.ContentionStart, e);
        clr.ContentionStop += e => router.Emit(RuntimeEventKind.ContentionStop, e, (long)e.DurationNs);
        clr.ThreadPoolWorkerThreadStart += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerStart, e, e.ActiveWorkerThreadCount);
        clr.ThreadPoolWorkerThreadStop += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerStop, e, e.ActiveWorkerThreadCount);
        clr.ThreadPoolWorkerThreadWait += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerWait, e, e.ActiveWorkerThreadCount);
        clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => router.Emit(RuntimeEventKind.ThreadPoolAdjustment, e, e.NewWorkerThreadCount);
        clr.ThreadPoolIOEnqueue += e => router.Emit(RuntimeEventKind.ThreadPoolIoEnqueue, e);
        clr.ThreadPoolIODequeue += e => router.Emit(RuntimeEventKind.ThreadPoolIoDequeue, e);
        clr.GCStart += e => router.Emit(RuntimeEventKind.GcStart, e, e.Depth);
        clr.GCStop += e => router.Emit(RuntimeEventKind.GcEnd, e, e.Depth);
        clr.ExceptionStart += e => router.Emit(RuntimeEventKind.ExceptionThrown, e);
        clr.WaitHandleWaitStart += e => router.Emit(RuntimeEventKind.WaitStart, e, (long)e.WaitSource);
        clr.WaitHandleWaitStop += e => router.Emit(RuntimeEventKind.WaitStop, e);
        // Work items: the managed thread pool reports them through FrameworkEventSource, not the native
        // ThreadPoolEnqueue/Dequeue events (subscribing to both could count an item twice).
        source.Dynamic.AddCallbackForProviderEvent(
            RuntimeProviders.FrameworkProvider, "ThreadPoolEnqueueWork", e => router.Emit(RuntimeEventKind.ThreadPoolEnqueue, e));
        source.Dynamic.AddCallbackForProviderEvent(
            RuntimeProviders.FrameworkProvider, "ThreadPoolDequeueWork", e => router.Emit(RuntimeEventKind.ThreadPoolDequeue, e));
        source.Dynamic.AddCallbackForProviderEvent(RuntimeProviders.HostingProvider, "EventCounters", router.OnHostingCounter);
        clr.MethodLoadVerbose += router.OnMethod;
        clr.LoaderModuleLoad += router.OnModule;
        var rundown = new ClrRundownTraceEventParser(source);
        rundown.MethodDCStopVerbose += router.OnMethod;
        rundown.LoaderModuleDCStop += router.OnModule;
    }

    private void OnMethod(MethodLoadUnloadVerboseTraceData e) =>
        _methods.Add(e.ProcessID, e.MethodStartAddress, (uint)e.MethodSize, e.MethodNamespace, e.MethodName, (ulong)e.ModuleID);

    private void OnModule(ModuleLoadUnloadTraceData e) => _methods.AddModule(e.ProcessID, (ulong)e.ModuleID, e.ModuleILPath);

    /// <summary>One counter of a one-second sample: the payload is {Payload: {Name, Mean, …}}, as dotnet-counters reads it.</summary>
    private void OnHostingCounter(TraceEvent e)
    {
        if (e.PayloadValue(0) is not IDictionary<string, object> outer
            || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload
            || !payload.TryGetValue("Name", out var name) || !payload.TryGetValue("Mean", out var mean))
        {
            return;
        }

        var kind = (name as string) switch
        {
            "total-requests" => RuntimeEventKind.RequestsTotal,
            "current-requests" => RuntimeEventKind.RequestsInFlight,
            _ => (RuntimeEventKind?)null,
        };
        if (kind is { } k && mean is IConvertible value)
        {
            Emit(k, e, (long)Math.Round(value.ToDouble(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private void Emit(RuntimeEventKind kind, TraceEvent e, long value = 0)
    {
        var frames = _stacks ? EventStackReader.Read(e, _stackBuffer) : 0;
#pragma warning disable CS0618 // "Discouraged" in favour of relative ms; the raw value is exactly what we need (see remarks).
        var timestamp = e.TimeStampQPC;
#pragma warning restore CS0618
        _sink.OnRuntimeEvent(new RuntimeEvent(kind, e.ProcessID, e.ThreadID, timestamp, value), _stackBuffer.AsSpan(0, frames));
    }
}
