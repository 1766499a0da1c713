namespace Logging;

/// <summary>
/// One logging library, configured (but not yet written to) by its constructor. Dispose flushes and closes
/// the log: it is part of the measured work, as a final flush is in the other samples.
/// </summary>
internal interface IOrderLog : IDisposable
{
    /// <summary>Logs one event per order, <paramref name="events"/> in all, on the calling thread.</summary>
    void Run(int events);
}
