namespace Advisor.Core.Stacks;

/// <summary>Which calls a backend walks the user stack of (<c>--stacks</c>).</summary>
public enum StackMode
{
    None = 0,

    /// <summary>
    /// The first calls of each thread × syscall, then one in N: every call is still counted, and call-site counts
    /// are the sampled ones scaled up (estimates, marked so in reports).
    /// </summary>
    Sampled = 1,

    /// <summary>Every call: exact call-site counts, at the cost of a stack walk per call.</summary>
    All = 2,
}
