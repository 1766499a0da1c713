namespace Advisor.Core.Findings;

/// <summary>How much a finding matters; ordered so that a higher value is more severe.</summary>
public enum Severity
{
    /// <summary>Suppressed: used in configuration to turn a rule off.</summary>
    None = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}
