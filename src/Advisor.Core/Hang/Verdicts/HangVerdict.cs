namespace Advisor.Core.Hang.Verdicts;

/// <summary>The triage's answer in two lines: what is going on, and what to do next.</summary>
public sealed record HangVerdict(VerdictKind Kind, string Summary, string NextStep)
{
    /// <summary>The kind as reports spell it (kebab-case, stable for JSON consumers).</summary>
    public string KindName => Kind switch
    {
        VerdictKind.Deadlock => "deadlock",
        VerdictKind.ThreadPoolStarvation => "threadpool-starvation",
        VerdictKind.BlockedOnIo => "blocked-on-io",
        VerdictKind.Busy => "busy",
        _ => "idle",
    };
}
