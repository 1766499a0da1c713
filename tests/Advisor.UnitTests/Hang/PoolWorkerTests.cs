using Advisor.Core.Hang;
using Advisor.Core.Stacks;
using Advisor.Core.Threads;

namespace Advisor.UnitTests.Hang;

/// <summary>
/// A pool worker judged by where it waits, on the stacks ClrMD reads from .NET 10: parked in the pool's own
/// wait it is free; blocked anywhere inside a work item it holds the pool, whoever's frames are there.
/// </summary>
public class PoolWorkerTests
{
    /// <summary>A worker waiting for work (.NET 10): the pool's semaphore under its thread routine, no work item.</summary>
    public static readonly string[] Parked =
    [
        "System.Threading.LowLevelLifoSemaphore.WaitNative",
        "System.Threading.LowLevelLifoSemaphore.WaitForSignal",
        "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart",
        "System.Threading.Thread.StartCallback",
    ];

    /// <summary>
    /// A minimal API handler blocked on <c>Task.Delay(250).Wait()</c> (.NET 10), resumed on the pool after
    /// routing, as the stall of the issue showed it: no application frame between the wait and ASP.NET Core's
    /// compiled request delegate (a handler from a library, or from an assembly named like .NET's own).
    /// </summary>
    public static readonly string[] MinimalApiWait =
    [
        "System.Threading.Monitor.Wait",
        "System.Threading.ManualResetEventSlim.Wait",
        "System.Threading.Tasks.Task.SpinThenBlockingWait",
        "System.Threading.Tasks.Task.InternalWaitCore",
        "System.Threading.Tasks.Task.InternalWait",
        "System.Threading.Tasks.Task.Wait",
        "System.Threading.Tasks.Task.Wait",
        "lambda_method1",
        "Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware+<<Invoke>g__AwaitMatcher|10_0>d.MoveNext",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder<System.Threading.Tasks.VoidTaskResult>+AsyncStateMachineBox<Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware+<<Invoke>g__AwaitMatcher|10_0>d>.ExecutionContextCallback",
        "System.Threading.ExecutionContext.RunFromThreadPoolDispatchLoop",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder<System.Threading.Tasks.VoidTaskResult>+AsyncStateMachineBox<Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware+<<Invoke>g__AwaitMatcher|10_0>d>.ExecuteFromThreadPool",
        "System.Threading.ThreadPoolWorkQueue.Dispatch",
        "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart",
        "System.Threading.Thread.StartCallback",
    ];

    /// <summary>The same wait on Kestrel's first request of a connection, the handler a lambda in the application's type.</summary>
    public static readonly string[] KestrelLambdaWait =
    [
        "System.Threading.Monitor.Wait",
        "System.Threading.ManualResetEventSlim.Wait",
        "System.Threading.Tasks.Task.SpinThenBlockingWait",
        "System.Threading.Tasks.Task.InternalWaitCore",
        "System.Threading.Tasks.Task.InternalWait",
        "System.Threading.Tasks.Task.Wait",
        "System.Threading.Tasks.Task.Wait",
        "Shop.Program.Main (lambda)",
        "lambda_method1",
        "Microsoft.AspNetCore.HostFiltering.HostFilteringMiddleware.Invoke",
        "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol+<ProcessRequests>d__237<System.__Canon>.MoveNext",
        "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests[[System.__Canon, System.Private.CoreLib]]",
        "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.HttpConnection.ProcessRequestsAsync[[System.__Canon, System.Private.CoreLib]]",
        "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Infrastructure.KestrelConnection<System.__Canon>.Execute",
        "System.Threading.ThreadPoolWorkQueue.Dispatch",
        "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart",
        "System.Threading.Thread.StartCallback",
    ];

    /// <summary>The pool's gate thread (it injects workers): a thread of its own, whole stack, no work item.</summary>
    private static readonly string[] GateThread =
    [
        "System.Threading.WaitHandle.WaitOneNoCheck",
        "System.Threading.PortableThreadPool+GateThread.GateThreadStart",
        "System.Threading.Thread.StartCallback",
    ];

    /// <summary>Frames as the runtime inspector kinds them: .NET's own (System, Microsoft, compiled delegates) or the application's.</summary>
    public static CallStack Stack(params string[] frames) =>
        new(frames.Select(f => new StackFrame(f, IsFramework(f) ? FrameKind.Framework : FrameKind.User)).ToList());

    public static HangThread Worker(int tid, ThreadActivity activity, string[] frames, ServedRequest? request = null) =>
        new(tid, ".NET TP Worker", ThreadRole.ThreadPoolWorker, activity, 'S', "futex_wait_queue", activity == ThreadActivity.Blocked ? "futex" : null,
            null, null, activity == ThreadActivity.Blocked ? 4_000 : null, 0, Stack(frames), request);

    private static bool IsFramework(string frame) =>
        frame.StartsWith("System.", StringComparison.Ordinal) || frame.StartsWith("Microsoft.", StringComparison.Ordinal)
        || frame.StartsWith("Interop", StringComparison.Ordinal) || frame.StartsWith("lambda_method", StringComparison.Ordinal);

    [Fact]
    public void A_worker_parked_in_the_pools_own_wait_is_free_however_long_it_has_waited()
    {
        PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, Parked)).ShouldNotBeNull().State.ShouldBe(WorkerState.Parked);
        PoolWorker.Judge(Worker(2, ThreadActivity.Waking, Parked)).ShouldNotBeNull().State.ShouldBe(WorkerState.Parked);
    }

    [Fact]
    public void A_worker_blocked_in_Task_Wait_under_a_compiled_minimal_API_delegate_is_blocked_in_Task_Wait_for_lambda_method()
    {
        var worker = PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, MinimalApiWait)).ShouldNotBeNull();

        worker.State.ShouldBe(WorkerState.Blocked);
        worker.BlockingCall.ShouldBe("Task.Wait");
        worker.Handler.ShouldBe("lambda_method1");
        worker.Site.ShouldBe("lambda_method1 → Task.Wait");
    }

    [Fact]
    public void The_handler_is_the_application_frame_when_the_stack_has_one()
    {
        var worker = PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, KestrelLambdaWait)).ShouldNotBeNull();

        worker.State.ShouldBe(WorkerState.Blocked);
        worker.Site.ShouldBe("Shop.Program.Main (lambda) → Task.Wait");
    }

    [Theory]
    [InlineData("TaskAwaiter<System.Int32>.GetResult", new[]
    {
        "System.Threading.Monitor.Wait", "System.Threading.ManualResetEventSlim.Wait", "System.Threading.Tasks.Task.SpinThenBlockingWait",
        "System.Threading.Tasks.Task.InternalWaitCore", "System.Threading.Tasks.Task.InternalWait",
        "System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification", "System.Runtime.CompilerServices.TaskAwaiter<System.Int32>.GetResult",
        "Shop.Handler.Get", "Shop.Program.Main (lambda)", "System.Threading.Tasks.Task<System.Int32>.InnerInvoke",
        "System.Threading.ExecutionContext.RunFromThreadPoolDispatchLoop", "System.Threading.Tasks.Task.ExecuteWithThreadLocal",
        "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
    })]
    [InlineData("Monitor.Enter", new[]
    {
        "System.Threading.Monitor.Enter_Slowpath", "System.Threading.Monitor.Enter", "Shop.Program.Main (lambda)",
        "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
    })]
    [InlineData("SemaphoreSlim.Wait", new[]
    {
        "System.Threading.Monitor.Wait", "System.Threading.SemaphoreSlim.WaitUntilCountOrTimeout", "System.Threading.SemaphoreSlim.WaitCore",
        "System.Threading.SemaphoreSlim.Wait", "Shop.Program+<>c__DisplayClass0_0+<<<Main>$>b__3>d.MoveNext",
        "System.Threading.ExecutionContext.RunFromThreadPoolDispatchLoop",
        "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
    })]
    [InlineData("NetworkStream.Read", new[]
    {
        "Interop+Sys.ReceiveMessage", "System.Net.Sockets.SocketPal.SysReceive", "System.Net.Sockets.SocketPal.TryCompleteReceiveFrom",
        "System.Net.Sockets.SocketAsyncContext.ReceiveFrom", "System.Net.Sockets.Socket.Receive", "System.Net.Sockets.Socket.Receive",
        "System.Net.Sockets.NetworkStream.Read", "Shop.Program.Main (lambda)",
        "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
    })]
    [InlineData("Thread.Sleep", new[]
    {
        "System.Threading.Thread.Sleep", "Shop.Program.Main (lambda)",
        "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
    })]
    public void The_blocking_call_is_the_dotnet_api_the_code_called(string call, string[] frames) =>
        PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, frames)).ShouldNotBeNull().BlockingCall.ShouldBe(call);

    [Fact]
    public void A_blocked_work_item_made_only_of_dotnet_frames_names_the_innermost_wait()
    {
        var worker = PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, [
            "System.Threading.Monitor.Wait", "System.Threading.ManualResetEventSlim.Wait",
            "System.Threading.ExecutionContext.RunFromThreadPoolDispatchLoop",
            "System.Threading.ThreadPoolWorkQueue.Dispatch", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart", "System.Threading.Thread.StartCallback",
        ])).ShouldNotBeNull();

        worker.State.ShouldBe(WorkerState.Blocked);
        worker.BlockingCall.ShouldBe("Monitor.Wait");
        worker.Handler.ShouldBeNull();
    }

    [Fact]
    public void A_stack_cut_short_before_its_work_item_reached_the_pool_is_inside_one()
    {
        // Deep request stacks outgrow the frames read: neither the dispatch loop nor the thread's start is there.
        PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, MinimalApiWait[..9])).ShouldNotBeNull().State.ShouldBe(WorkerState.Blocked);
    }

    [Fact]
    public void A_worker_inside_a_work_item_that_ran_during_the_window_holds_the_pool_but_is_not_blocked() =>
        PoolWorker.Judge(Worker(1, ThreadActivity.Waking, MinimalApiWait)).ShouldNotBeNull().State.ShouldBe(WorkerState.Working);

    [Fact]
    public void Threads_of_their_own_are_not_pool_workers()
    {
        PoolWorker.Judge(Worker(1, ThreadActivity.Waking, GateThread)).ShouldBeNull();
        PoolWorker.Judge(Worker(2, ThreadActivity.Blocked, ["System.Threading.Thread.Sleep", "Shop.Consumer.Run", "System.Threading.Thread.StartCallback"])).ShouldBeNull();
        PoolWorker.Judge(Worker(3, ThreadActivity.Blocked, MinimalApiWait) with { Role = ThreadRole.UserNamed }).ShouldBeNull();
        PoolWorker.Judge(Worker(4, ThreadActivity.Gone, MinimalApiWait)).ShouldBeNull();
    }

    [Fact]
    public void A_worker_whose_stack_could_not_be_read_is_unknown() =>
        PoolWorker.Judge(Worker(1, ThreadActivity.Blocked, [])).ShouldNotBeNull().State.ShouldBe(WorkerState.Unknown);
}
