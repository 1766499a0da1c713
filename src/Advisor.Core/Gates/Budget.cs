namespace Advisor.Core.Gates;

/// <summary>
/// A syscall budget (<c>--budget budget.yaml</c>): the most calls a run may make per syscall, per call site,
/// and the most findings per rule. Counts, not timings: they hold still on a shared CI machine.
/// </summary>
/// <param name="Syscalls">Most calls per syscall over the whole run.</param>
/// <param name="Rules">Most findings per rule (0: the rule must not fire).</param>
/// <param name="CallSites">Most calls from call sites matching a text, optionally of one syscall.</param>
public sealed record Budget(
    IReadOnlyDictionary<string, long> Syscalls,
    IReadOnlyDictionary<string, long> Rules,
    IReadOnlyList<CallSiteBudget> CallSites,
    string Source);

/// <param name="Site">Text the call site must contain: <c>MyApp.AuditLog.Write</c> matches <c>MyApp.AuditLog.Write → FileStream.Write</c>.</param>
/// <param name="Syscall">Only calls of this syscall; null for all.</param>
public sealed record CallSiteBudget(string Site, string? Syscall, long Max);
