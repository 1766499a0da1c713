using Advisor.Core.Findings;

namespace Advisor.Core.Rules;

/// <summary>
/// A rule as written in <c>rules/ADVnnn-name.yaml</c>: Roslyn's DiagnosticDescriptor (id, title, message
/// format, category, default severity, help) plus what to look at and when to speak.
/// </summary>
/// <param name="Syscalls">The calls the rule looks at; empty means all.</param>
/// <param name="ExcludedSyscalls">Calls it never looks at (those other rules own, such as blocking waits).</param>
/// <param name="Thresholds">Named numbers its expressions use; configuration may override them.</param>
/// <param name="Condition">How it decides over a recording; null for a rule only a hang analyser decides.</param>
/// <param name="Fallback">Looks only at calls no other rule explained (syscall-storm).</param>
/// <param name="Source">Where it was loaded from, for error messages.</param>
public sealed record RuleDefinition(
    string Id,
    string Name,
    string Title,
    Severity Severity,
    string Category,
    string Description,
    IReadOnlyList<string> Syscalls,
    IReadOnlyList<string> ExcludedSyscalls,
    GroupBy GroupBy,
    IReadOnlyDictionary<string, double> Thresholds,
    RuleCondition? Condition,
    IReadOnlyList<AdviceEntry> Advice,
    bool Fallback,
    string Source)
{
    /// <summary>The thresholds as written (<c>256KiB</c>), for `rules explain` and docs/rules.md.</summary>
    public IReadOnlyDictionary<string, string> ThresholdText { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Which call sites the rule is about (a regular expression over <c>MyApp.Spin.Wait → Thread.Yield</c>):
    /// the <c>siteShare</c> metric is the share of the group's calls made from a matching site. Null: any
    /// application call site.
    /// </summary>
    public System.Text.RegularExpressions.Regex? CallSite { get; init; }

    /// <summary>
    /// The thread roles the rule looks at (threadpool-worker for blocking I/O on the pool); empty: every
    /// thread.
    /// </summary>
    public IReadOnlyList<Threads.ThreadRole> ThreadRoles { get; init; } = [];

    /// <summary>
    /// The hang analyser (<see cref="AnalyserDescriptor"/>) that decides this rule in <c>hang -p PID</c>
    /// triage; null for rules only recordings decide. A rule may have both (thread-pool starvation).
    /// </summary>
    public string? Analyser { get; init; }

    /// <summary>How the rule groups, in words: "fd", "thread", "lock site".</summary>
    public string GroupByText => GroupBy switch
    {
        GroupBy.LockSite => "lock site",
        GroupBy.ThreadPool => "thread pool",
        GroupBy.Peer => "peer (a server this process is a client of)",
        _ => GroupBy.ToString().ToLowerInvariant(),
    };
}
