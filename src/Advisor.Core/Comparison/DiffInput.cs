using Advisor.Core.Reporting;

namespace Advisor.Core.Comparison;

/// <summary>One side of a diff: its report (a recording analysed again, or a JSON report read back), and where it came from.</summary>
/// <param name="Path">The file as the user named it, for messages.</param>
/// <param name="Source">"recording", "strace log" or "report".</param>
public sealed record DiffInput(AdvisorReport Report, string Path, string Source);
