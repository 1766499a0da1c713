namespace Hang;

/// <summary>Not hung, idle: nothing to do; the process waits for the release like a service waits for requests.</summary>
internal sealed class Idle : IHangScenario
{
    public void Start()
    {
    }

    public void Release()
    {
    }

    public (long Completed, long Result) Finish(TimeSpan timeout) => (0, 0);

    public void Dispose()
    {
    }
}
