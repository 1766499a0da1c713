namespace Advisor.Core.Hang;

/// <summary>
/// An HTTP request a thread of the stalled process is serving — what the runtime says of it, and, when the
/// thread is blocked, the call it blocks in and for how long: a stalled service's requests, seen from inside.
/// </summary>
/// <param name="Request">Method, path and endpoint, when the runtime's heap showed them; null when only the stack says it is a request.</param>
/// <param name="BlockingCall">The .NET call a blocked thread sits in ("Task.Wait"); null when it is not blocked.</param>
/// <param name="Handler">The code serving it, as <see cref="HangStacks.Handler"/> names it.</param>
public sealed record InFlightRequest(HangThread Thread, ServedRequest? Request, string? BlockingCall, string? Handler)
{
    /// <summary>How long its thread has been blocked; null when it is running or waking.</summary>
    public double? BlockedForMs => Thread.Activity == ThreadActivity.Blocked ? Thread.BlockedForMs : null;

    /// <summary>Every request a thread is serving (the runtime says so, or the stack's request frames do), longest blocked first.</summary>
    public static IReadOnlyList<InFlightRequest> Find(IEnumerable<HangThread> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        return threads
            .Where(t => t.Activity != ThreadActivity.Gone && (t.Request is not null || HangStacks.ServesRequest(t.Stack)))
            .Select(t => new InFlightRequest(
                t,
                t.Request,
                t.Activity == ThreadActivity.Blocked ? HangStacks.BlockingCall(t.Stack) : null,
                HangStacks.Handler(t.Stack)))
            .OrderByDescending(r => r.BlockedForMs ?? -1)
            .ThenBy(r => r.Thread.Tid)
            .ToList();
    }
}
