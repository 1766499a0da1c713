using Advisor.Core.Findings;
using Advisor.Core.Rules.Expressions;

namespace Advisor.Core.Rules;

/// <summary>
/// A rule as written in <c>rules/ADVnnn-name.yaml</c>: Roslyn's DiagnosticDescriptor (id, title, message
/// format, category, default severity, help) plus what to look at and when to speak.
/// </summary>
/// <param name="Syscalls">The calls the rule looks at; empty means all.</param>
/// <param name="ExcludedSyscalls">Calls it never looks at (those other rules own, such as blocking waits).</param>
/// <param name="Thresholds">Named numbers its expressions use; configuration may override them.</param>
/// <param name="When">The condition a group must meet to become a finding.</param>
/// <param name="AvoidableCalls">How many of the group's calls a fix would remove.</param>
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
    RuleExpression When,
    RuleExpression AvoidableCalls,
    MessageTemplate Message,
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
    /// The C# analyser that decides this rule ("hang": <c>hang -p PID</c> triage) when conditions cannot say
    /// it; null for rules decided by <see cref="When"/>. The recording's rule engine skips these.
    /// </summary>
    public string? Analyser { get; init; }

    /// <summary>How the rule groups, in words: "fd", "thread", "lock site".</summary>
    public string GroupByText => GroupBy switch
    {
        GroupBy.LockSite => "lock site",
        GroupBy.ThreadPool => "thread pool",
        _ => GroupBy.ToString().ToLowerInvariant(),
    };
}
