namespace Advisor.Reports.Sarif;

/// <summary>The tool that produced the run (tool): dotnet-advisor is its own driver, with no extensions.</summary>
internal sealed record SarifTool(SarifDriver Driver);

/// <summary>The driver (toolComponent): its name, version and the rules its results refer to by index.</summary>
internal sealed record SarifDriver(string Name, string Version, IReadOnlyList<SarifRule> Rules);
