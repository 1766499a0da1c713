namespace Advisor.Reports.Otlp;

/// <summary>
/// Exports to one OTLP endpoint (a signal's URL, as the SDK names it) started failing or recovered: monitor says so
/// once each way, not once per export.
/// </summary>
public abstract record OtlpExportChange(string Endpoint, DateTimeOffset At);

/// <summary>An export to <paramref name="Endpoint"/> failed after the last one succeeded (or it was the first).</summary>
/// <param name="Error">Why, in a few words: the exception's message without its type and stack.</param>
public sealed record OtlpExportFailing(string Endpoint, string Error, DateTimeOffset At) : OtlpExportChange(Endpoint, At);

/// <summary>An export to <paramref name="Endpoint"/> succeeded after <paramref name="FailedExports"/> had failed, over <paramref name="Failed"/>.</summary>
/// <param name="FailedExports">Exports dropped meanwhile, each one batch: the SDK does not retry them.</param>
public sealed record OtlpExportRecovered(string Endpoint, int FailedExports, TimeSpan Failed, DateTimeOffset At) : OtlpExportChange(Endpoint, At);
