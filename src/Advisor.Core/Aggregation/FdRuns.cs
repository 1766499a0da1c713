namespace Advisor.Core.Aggregation;

/// <summary>
/// Runs of consecutive writes (or reads) to one fd with no call in the other direction between them. A
/// request/response socket alternates and has runs of one or two; an unbuffered writer has one endless run.
/// </summary>
public struct FdRuns
{
    /// <summary>+1 while a write run is open, -1 for a read run, 0 before any.</summary>
    public sbyte Direction;
    public long CurrentLength;
    public long WriteRuns;
    public long WriteCalls;
    public long LongestWriteRun;
    public long ReadRuns;
    public long ReadCalls;
    public long LongestReadRun;

    public void OnWrite()
    {
        if (Direction != 1)
        {
            Direction = 1;
            CurrentLength = 0;
            WriteRuns++;
        }

        WriteCalls++;
        if (++CurrentLength > LongestWriteRun)
        {
            LongestWriteRun = CurrentLength;
        }
    }

    public void OnRead()
    {
        if (Direction != -1)
        {
            Direction = -1;
            CurrentLength = 0;
            ReadRuns++;
        }

        ReadCalls++;
        if (++CurrentLength > LongestReadRun)
        {
            LongestReadRun = CurrentLength;
        }
    }

    public readonly double AverageWriteRun => WriteRuns == 0 ? 0 : (double)WriteCalls / WriteRuns;

    public readonly double AverageReadRun => ReadRuns == 0 ? 0 : (double)ReadCalls / ReadRuns;
}
