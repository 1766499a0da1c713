using Advisor.Core.Findings;

namespace Advisor.Reports.Sarif;

/// <summary>Severities as SARIF levels: SARIF's word for info is "note".</summary>
internal static class SarifLevels
{
    /// <summary>A rule's level: "none" when the configuration switched it off.</summary>
    public static string OfRule(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Info => "note",
        _ => "none",
    };

    /// <summary>A result's level. A finding at "none" is not a finding; the JSON writer refuses it too.</summary>
    public static string OfResult(Severity severity) => severity is Severity.Error or Severity.Warning or Severity.Info
        ? OfRule(severity)
        : throw new ArgumentException($"A finding with severity {severity} cannot be reported; only error, warning and info can.", nameof(severity));
}
