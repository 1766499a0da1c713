namespace Hang;

/// <summary>One way to get stuck: put in place, held until released, then finished normally.</summary>
internal interface IHangScenario : IDisposable
{
    /// <summary>Puts the hang in place; returns once it is (the threads are in their waits).</summary>
    void Start();

    /// <summary>More `key=value` pairs for the ready line (empty, or starting with a space).</summary>
    string ReadyDetail => string.Empty;

    /// <summary>Undoes the hang so the stuck work can complete.</summary>
    void Release();

    /// <summary>Waits for the work to complete after <see cref="Release"/>.</summary>
    /// <returns>Units of work completed, and a result that shows they were done right.</returns>
    (long Completed, long Result) Finish(TimeSpan timeout);
}
