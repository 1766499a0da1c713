namespace Advisor.Core.Sources;

/// <summary>
/// A source that can stop recording new calls for a while and start again without detaching: <c>monitor</c>
/// records a window of each interval and costs the target next to nothing between windows.
/// </summary>
public interface IPausableSource
{
    /// <summary>No call that starts from now on is recorded, and a call in flight may not be; records already written still reach the sink.</summary>
    void Pause();

    /// <summary>Calls are recorded again.</summary>
    void Resume();
}
