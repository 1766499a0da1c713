namespace Advisor.Core.Reporting;

/// <summary>
/// The report's <c>hang.requests</c>: the HTTP requests a stalled service's threads were serving, seen from
/// inside — how many, how many of them blocked, and for how long.
/// </summary>
/// <param name="InFlight">Requests a thread was serving.</param>
/// <param name="Blocked">Those whose thread was blocked through the whole window.</param>
/// <param name="LongestBlockedMs">The longest of those blocks; null when none is blocked.</param>
/// <param name="Items">Each request, longest blocked first.</param>
public sealed record HangRequests(int InFlight, int Blocked, double? LongestBlockedMs, IReadOnlyList<HangRequest> Items);

/// <summary>One request in flight, and the thread serving it.</summary>
/// <param name="Method">"GET"; null when the runtime did not show it.</param>
/// <param name="Path">The request's path, without the query string.</param>
/// <param name="Endpoint">The endpoint routing chose ("HTTP: GET /orders/{id:int}"); null before routing or when not shown.</param>
/// <param name="Handler">The code serving it: the first application frame, else the first past .NET's own ("lambda_method1").</param>
/// <param name="BlockedIn">The .NET call its thread blocks in ("Task.Wait"); null when not blocked.</param>
/// <param name="BlockedForMs">How long its thread has been blocked: a floor for the request's age; null when not blocked.</param>
public sealed record HangRequest(int Tid, string? Method, string? Path, string? Endpoint, string? Handler, string? BlockedIn, double? BlockedForMs);
