using Advisor.Core.Findings;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>The triage's conclusion: the verdict first, then the findings that support it.</summary>
/// <param name="Requests">The HTTP requests threads are serving, longest blocked first: a stalled service's view; empty for other processes.</param>
public sealed record HangAnalysis(HangVerdict Verdict, IReadOnlyList<Finding> Findings, IReadOnlyList<InFlightRequest> Requests);
