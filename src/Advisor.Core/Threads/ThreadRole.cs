namespace Advisor.Core.Threads;

/// <summary>What a thread is for, as far as the runtime's naming tells.</summary>
public enum ThreadRole
{
    Other,
    Main,
    ThreadPoolWorker,
    IoCompletion,
    Timer,
    Finalizer,
    GarbageCollector,
    TieredCompilation,
    SocketEngine,
    RuntimeService,
    UserNamed,
}
