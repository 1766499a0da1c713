namespace Advisor.Core.Threads;

/// <summary>A thread seen in the recording.</summary>
public sealed record ThreadInfo(int Pid, int Tid, string Name, ThreadRole Role);
