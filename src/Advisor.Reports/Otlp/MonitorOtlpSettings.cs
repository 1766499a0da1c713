using Advisor.Core.Findings;

namespace Advisor.Reports.Otlp;

/// <summary>What <see cref="MonitorOtlp"/> needs from the command line and the tool.</summary>
/// <param name="Period">How often metrics are exported: monitor's interval, so each export carries one judged interval more.</param>
/// <param name="ServiceVersion">The tool's version, for the resource's <c>service.version</c>.</param>
/// <param name="Site">
/// A finding's call site as the console prints it, or null: the CLI knows how to tell application frames from
/// the framework's, this project does not.
/// </param>
/// <param name="ExportChanged">
/// Told when exports to an endpoint start failing and when they recover, once each way; called on the SDK's export
/// threads, so it must be safe to call from any thread.
/// </param>
public sealed record MonitorOtlpSettings(OtlpEndpoint Endpoint, TimeSpan Period, string ServiceVersion, Func<Finding, string?> Site, Action<OtlpExportChange> ExportChanged);
