namespace Advisor.Reports.Sarif;

/// <summary>
/// Where a result happened (location). Only logical locations: a profile knows the method that made the
/// calls, or the file they went to, but not a source file and line in the target's build.
/// </summary>
internal sealed record SarifLocation(IReadOnlyList<SarifLogicalLocation> LogicalLocations);

/// <summary>A method (kind "function") or a file, pipe or endpoint (kind "resource"), by its full name.</summary>
internal sealed record SarifLogicalLocation(string FullyQualifiedName, string Kind);
