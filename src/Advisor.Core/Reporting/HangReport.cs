namespace Advisor.Core.Reporting;

/// <summary>
/// The report's <c>hang</c> object: what <c>hang -p PID</c> concluded — the verdict (deadlock,
/// threadpool-starvation, blocked-on-io, busy, idle), what it means in one line, and what to do next.
/// Omitted in recordings.
/// </summary>
/// <param name="WindowMs">How long the threads were watched to tell blocked from busy.</param>
/// <param name="Requests">The HTTP requests the threads were serving (an ASP.NET Core service); null when none.</param>
public sealed record HangReport(string Verdict, string Summary, string NextStep, double WindowMs, HangRequests? Requests = null);
