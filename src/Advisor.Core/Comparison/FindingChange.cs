using Advisor.Core.Findings;

namespace Advisor.Core.Comparison;

/// <summary>
/// One finding across the two runs, matched by rule, process name and call site: fixed, new or still there,
/// with its rates in both.
/// </summary>
/// <param name="Severity">The after run's, or the before run's for a fixed finding.</param>
/// <param name="Process">The process's name as findings give it; null for findings over several processes.</param>
/// <param name="CallSite">The first application frame and the API it called; null when the stacks name none.</param>
/// <param name="CallsPerUnit">Calls (or events) per second, or per request when both runs served requests.</param>
/// <param name="SavingMsPerUnit">Estimated saving, in ms per second (or per request).</param>
/// <param name="BlockedMsPerUnit">Time threads waited in these calls, in ms per second (or per request).</param>
/// <param name="MeasuredSavingMsPerUnit">
/// For a fixed finding: what its syscalls cost in kernel time in the before run less in the after run, per
/// second (or request), over every call site of those syscalls; null otherwise.
/// </param>
public sealed record FindingChange(
    FindingStatus Status,
    string RuleId,
    string RuleName,
    Severity Severity,
    string Title,
    string? Process,
    string? CallSite,
    FindingSide? Before,
    FindingSide? After,
    Change CallsPerUnit,
    Change SavingMsPerUnit,
    Change BlockedMsPerUnit,
    double? MeasuredSavingMsPerUnit = null);
