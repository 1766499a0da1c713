namespace Advisor.Core.Aggregation;

/// <summary>
/// An fd as the analysis sees it: a number in a process together with what it referred to. An fd number
/// reused for another file becomes another slot; the same path reopened under the same number is the same.
/// </summary>
public sealed record FdSlot(int Id, int Pid, int Fd, string Description);
