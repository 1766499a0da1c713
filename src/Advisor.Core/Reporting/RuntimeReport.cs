using Advisor.Core.Findings;
using Advisor.Core.Runtime;

namespace Advisor.Core.Reporting;

/// <summary>
/// What the .NET runtime's own events said during the recording (the report's <c>runtime</c> object):
/// omitted when no runtime session ran, and the session notes then say why.
/// </summary>
/// <param name="Events">Events received, by kind (camelCase names such as <c>contentionStart</c>).</param>
/// <param name="Requests">The requests an ASP.NET Core server handled; null when the target reported none.</param>
public sealed record RuntimeReport(
    IReadOnlyDictionary<string, long> Events,
    ContentionReport Contention,
    ThreadPoolSummary ThreadPool,
    GcSummary Gc,
    long Exceptions,
    RequestsReport? Requests = null);

/// <param name="Count">Requests over the recording, at the measured rate.</param>
public sealed record RequestsReport(long Count, double PerSecond, long InFlight, long MaxInFlight);

/// <param name="Stacks">Where threads waited for locks, most frequent first.</param>
public sealed record ContentionReport(long Count, double WaitMs, IReadOnlyList<ThreadContention> Threads, IReadOnlyList<StackSample> Stacks);
