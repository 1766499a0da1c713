namespace Advisor.Core.Comparison;

/// <summary>One row of the syscall table in both runs, per second (or per request).</summary>
public sealed record SyscallChange(string Name, Change Calls, Change Errors, Change TimeMs, Change Bytes);
