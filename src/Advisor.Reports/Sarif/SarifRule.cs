namespace Advisor.Reports.Sarif;

/// <summary>
/// A rule (reportingDescriptor): what CI systems show beside a result — its title, what it detects, how to
/// fix it, and its level in the configuration in force.
/// </summary>
internal sealed record SarifRule(
    string Id,
    string Name,
    SarifMessage ShortDescription,
    SarifMessage? FullDescription,
    SarifMessage? Help,
    SarifRuleConfiguration DefaultConfiguration,
    SarifRuleProperties? Properties);

/// <summary>A rule's configuration (reportingConfiguration): its level, "error", "warning", "note" or "none".</summary>
internal sealed record SarifRuleConfiguration(string Level);

/// <summary>A rule's property bag: the catalogue's category ("io", "threading", …).</summary>
internal sealed record SarifRuleProperties(string Category);
