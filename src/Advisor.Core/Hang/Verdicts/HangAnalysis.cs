using Advisor.Core.Findings;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>The triage's conclusion: the verdict first, then the findings that support it.</summary>
public sealed record HangAnalysis(HangVerdict Verdict, IReadOnlyList<Finding> Findings);
