namespace Advisor.Linux.Strace;

/// <summary>One whole call from an strace log: an unfinished line joined with its resumption.</summary>
/// <param name="StartNs">When the call was entered, in the log's clock (see <see cref="StraceLine.TimeNs"/>).</param>
/// <param name="Arguments">Every argument's text, the unfinished and resumed halves joined.</param>
/// <param name="Result">"3", "-1 ENOENT (No such file or directory)", "0x7f3a2c000000", "?" …</param>
/// <param name="DurationNs">The -T time; -1 when the log has none.</param>
/// <param name="Line">The 1-based line the call ended on, for messages.</param>
public sealed record StraceCall(int Tid, long StartNs, string Name, string Arguments, string Result, long DurationNs, long Line);
