namespace Advisor.Core.Aggregation;

/// <summary>
/// An fd as the analysis sees it: a number in a process together with what it referred to. An fd number
/// reused for another file becomes another slot; the same path reopened under the same number is the same.
/// </summary>
/// <param name="Opens">How many times the fd was (re)opened as this: seen anew after a close.</param>
/// <param name="Resolved">False when the fd was closed before /proc could say what it was.</param>
public sealed record FdSlot(int Id, int Pid, int Fd, string Description, long Opens = 0, bool Resolved = true);
