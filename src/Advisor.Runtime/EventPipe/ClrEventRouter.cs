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

    /// <summary>Subscribes to what <paramref name="parts"/> asked the runtime for, and nothing else.</summary>
    public static void Attach(
        EventPipeEventSource source, IRuntimeEventSink sink, ManagedMethodMap methods, bool stacks, RuntimeEventParts parts)
    {
        var router = new ClrEventRouter(sink, methods, stacks);
        var clr = source.Clr;
        if (parts.HasFlag(RuntimeEventParts.Contention))
        {
            clr.ContentionStart += e => router.Emit(RuntimeEventKind.ContentionStart, e);
            clr.ContentionStop += e => router.Emit(RuntimeEventKind.ContentionStop, e, (long)e.DurationNs);
        }

        if (parts.HasFlag(RuntimeEventParts.Waits))
        {
            clr.WaitHandleWaitStart += e => router.Emit(RuntimeEventKind.WaitStart, e, (long)e.WaitSource);
            clr.WaitHandleWaitStop += e => router.Emit(RuntimeEventKind.WaitStop, e);
        }

        if (parts.HasFlag(RuntimeEventParts.ThreadPool))
        {
            clr.ThreadPoolWorkerThreadStart += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerStart, e, e.ActiveWorkerThreadCount);
            clr.ThreadPoolWorkerThreadStop += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerStop, e, e.ActiveWorkerThreadCount);
            clr.ThreadPoolWorkerThreadWait += e => router.Emit(RuntimeEventKind.ThreadPoolWorkerWait, e, e.ActiveWorkerThreadCount);
            clr.ThreadPoolWorkerThreadAdjustmentAdjustment += router.OnAdjustment;
            clr.ThreadPoolWorkerThreadAdjustmentStats += router.OnHillClimbingSample;
            clr.ThreadPoolIOEnqueue += e => router.Emit(RuntimeEventKind.ThreadPoolIoEnqueue, e);
            clr.ThreadPoolIODequeue += e => router.Emit(RuntimeEventKind.ThreadPoolIoDequeue, e);
        }

        if (parts.HasFlag(RuntimeEventParts.Gc))
        {
            clr.GCStart += e => router.Emit(RuntimeEventKind.GcStart, e, e.Depth);
            clr.GCStop += e => router.Emit(RuntimeEventKind.GcEnd, e, e.Depth);
        }

        if (parts.HasFlag(RuntimeEventParts.Exceptions))
        {
            clr.ExceptionStart += e => router.Emit(RuntimeEventKind.ExceptionThrown, e);
        }

        if (parts.HasFlag(RuntimeEventParts.WorkItems))
        {
            // The managed thread pool reports its work items through FrameworkEventSource, not the native
            // ThreadPoolEnqueue/Dequeue events (subscribing to both could count an item twice).
            source.Dynamic.AddCallbackForProviderEvent(
                RuntimeProviders.FrameworkProvider, "ThreadPoolEnqueueWork", e => router.Emit(RuntimeEventKind.ThreadPoolEnqueue, e));
            source.Dynamic.AddCallbackForProviderEvent(
                RuntimeProviders.FrameworkProvider, "ThreadPoolDequeueWork", e => router.Emit(RuntimeEventKind.ThreadPoolDequeue, e));
        }

        if (parts.HasFlag(RuntimeEventParts.Requests))
        {
            source.Dynamic.AddCallbackForProviderEvent(RuntimeProviders.HostingProvider, "EventCounters", router.OnHostingCounter);
        }

        if (parts.HasFlag(RuntimeEventParts.Jit))
        {
            clr.MethodLoadVerbose += router.OnMethod;
        }

        clr.LoaderModuleLoad += router.OnModule;
        var rundown = new ClrRundownTraceEventParser(source);
        rundown.MethodDCStopVerbose += router.OnMethod;
        rundown.LoaderModuleDCStop += router.OnModule;
    }

    /// <summary>
    /// Every change of the worker count, and apart the two that say the pool is short of workers: starvation
    /// (queued work made no progress) and cooperative blocking (a worker blocked in Task.Wait or .Result). The
    /// reason comes first, so that the aggregation still knows the count before the change.
    /// </summary>
    private void OnAdjustment(ThreadPoolWorkerThreadAdjustmentTraceData e)
    {
        var pressure = e.Reason switch
        {
            ThreadAdjustmentReason.Starvation => RuntimeEventKind.ThreadPoolStarvation,
            ThreadAdjustmentReason.CooperativeBlocking => RuntimeEventKind.ThreadPoolBlockingInjection,
            _ => (RuntimeEventKind?)null,
        };
        if (pressure is { } kind)
        {
            Emit(kind, e, e.NewWorkerThreadCount);
        }

        Emit(RuntimeEventKind.ThreadPoolAdjustment, e, e.NewWorkerThreadCount);
    }

    /// <summary>The work items completed during one hill-climbing sample: its throughput (per second) × its length.</summary>
    private void OnHillClimbingSample(ThreadPoolWorkerThreadAdjustmentStatsTraceData e)
    {
        var completed = e.Throughput * e.Duration;
        if (double.IsFinite(completed) && completed > 0)
        {
            Emit(RuntimeEventKind.ThreadPoolSample, e, (long)Math.Round(completed));
        }
    }

    private void OnMethod(MethodLoadUnloadVerboseTraceData e) =>
        _methods.Add(e.ProcessID, e.MethodStartAddress, (uint)e.MethodSize, e.MethodNamespace, e.MethodName, (ulong)e.ModuleID, e.MethodToken);

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
