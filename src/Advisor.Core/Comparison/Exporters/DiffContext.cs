using Advisor.Core.Reporting;

namespace Advisor.Core.Comparison.Exporters;

/// <summary>What a diff exporter may draw on: the comparison, and the two reports it compared (side by side in HTML).</summary>
public sealed record DiffContext(RunDiff Diff, AdvisorReport Before, AdvisorReport After);
