namespace Advisor.Core.Gates;

/// <summary>One thing a CI gate found over its limit: a row of the table the user sees, with exit code 1.</summary>
/// <param name="Gate">Which gate: "fail-on", "budget" or "baseline".</param>
/// <param name="Subject">What exceeded: a finding, a syscall, a rule, a call site.</param>
/// <param name="Limit">The limit, as the user set it.</param>
/// <param name="Actual">What this run measured.</param>
public sealed record GateViolation(string Gate, string Subject, string Limit, string Actual);
