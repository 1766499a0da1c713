using Advisor.Core.Findings;

namespace Advisor.Core.Comparison;

/// <summary>
/// What makes a finding the same one in two runs: its rule, its process's name (pids change from run to run) and
/// the user's method its call site names. Not the file or endpoint, which a run may name afresh (a temp file per
/// pid), nor the message.
/// </summary>
/// <param name="Caller">The user's method: a call site's first frame, without the library call after the arrow.</param>
public sealed record MatchKey(string RuleId, string? Process, string? Caller)
{
    private const string Arrow = " → ";

    public static MatchKey Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new(finding.RuleId, finding.Process?.Name, CallerOf(finding.CallSite));
    }

    /// <summary>
    /// The library call a user's method made is the frame below it, which the JIT may inline in one run and not in
    /// the other: Serilog's lock, contended from the same lambda, was "→ LoggerExtensions.LogInformation" before a fix
    /// and "→ SerilogLogger.Log" after it, one finding fixed and one new.
    /// </summary>
    private static string? CallerOf(string? callSite) =>
        callSite?.IndexOf(Arrow, StringComparison.Ordinal) is > 0 and var at ? callSite[..at] : callSite;
}
