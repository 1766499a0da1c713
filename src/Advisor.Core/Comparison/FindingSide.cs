namespace Advisor.Core.Comparison;

/// <summary>A finding as one run saw it: the findings of that rule, process and call site taken together.</summary>
/// <param name="Findings">How many findings of the run matched (one per fd or thread the rule grouped by).</param>
/// <param name="Count">The calls (or events) behind them: a raw total, shown but never compared.</param>
/// <param name="EstimatedSavingMs">Their estimated saving over the run, as the report gives it.</param>
/// <param name="Message">The message of the one with the largest saving.</param>
public sealed record FindingSide(int Findings, long Count, double EstimatedSavingMs, double BlockedMs, string Message);
