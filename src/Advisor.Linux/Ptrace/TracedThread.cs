namespace Advisor.Linux.Ptrace;

/// <summary>One traced thread: the call it entered and has not yet left, if any.</summary>
internal sealed class TracedThread
{
    public bool InCall { get; set; }

    public int Number { get; set; }

    public ulong Arg0 { get; set; }

    public ulong Arg1 { get; set; }

    public ulong Arg2 { get; set; }

    public long StartNs { get; set; }

    public int StackId { get; set; }
}
