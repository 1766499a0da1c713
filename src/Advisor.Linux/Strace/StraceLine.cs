namespace Advisor.Linux.Strace;

/// <summary>What a line of strace output is.</summary>
public enum StraceLineKind
{
    /// <summary>Not strace output: corrupted, or another program's text.</summary>
    Unknown,

    /// <summary>A call printed whole: <c>write(1, "hi\n", 3) = 3 &lt;0.000012&gt;</c>.</summary>
    Complete,

    /// <summary>The first half of a call another thread interrupted: <c>read(3,  &lt;unfinished ...&gt;</c>.</summary>
    Unfinished,

    /// <summary>The second half: <c>&lt;... read resumed&gt;"abc", 4096) = 3 &lt;0.0006&gt;</c>.</summary>
    Resumed,

    /// <summary>Signals, exits, strace's own messages and -k stack lines: nothing to count.</summary>
    Other,
}

/// <summary>
/// One line of <c>strace -f -tt -T</c> output, split but not yet interpreted: arguments and result stay text
/// because only a few syscalls need more than their first numbers.
/// </summary>
/// <param name="Tid">The thread (strace's "pid" prefix); 0 when the line has none (a lone process traced without -f).</param>
/// <param name="TimeNs">The timestamp in nanoseconds: since midnight for -t/-tt, since the epoch for -ttt; -1 without one.</param>
/// <param name="Arguments">The text between the parentheses (for <see cref="StraceLineKind.Resumed"/>, what follows the resumption).</param>
/// <param name="Result">What follows " = ": "3", "-1 ENOENT (No such file or directory)", "?"; null when unfinished.</param>
/// <param name="DurationNs">The -T time spent in the call; -1 when the log has none.</param>
public readonly record struct StraceLine(
    StraceLineKind Kind,
    int Tid,
    long TimeNs,
    string Name,
    string Arguments,
    string? Result,
    long DurationNs);
