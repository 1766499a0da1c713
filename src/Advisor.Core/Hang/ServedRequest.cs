namespace Advisor.Core.Hang;

/// <summary>The HTTP request a thread is serving, as the runtime's heap shows it (ASP.NET Core on Kestrel).</summary>
/// <param name="Method">"GET"; null when the server had not parsed it.</param>
/// <param name="Path">The request's path, without its query string ("/orders/17").</param>
/// <param name="Endpoint">The endpoint routing chose, as ASP.NET Core names it ("HTTP: GET /orders/{id:int}"); null before routing.</param>
public sealed record ServedRequest(string? Method, string? Path, string? Endpoint);
