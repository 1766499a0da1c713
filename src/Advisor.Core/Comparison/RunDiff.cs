using Advisor.Core.Reporting;

namespace Advisor.Core.Comparison;

/// <summary>
/// Two runs compared, shaped as <c>schemas/diff.schema.json</c> publishes it (schemaVersion 1): every finding
/// fixed, new or still there, the syscall table and the runtime's totals as rates in both.
/// </summary>
/// <param name="Unit">What every rate is per: "second", or "request" when both runs served requests.</param>
/// <param name="Notes">What the reader must know to trust the numbers (a run lost events, the inputs differ in kind).</param>
public sealed record RunDiff(
    int SchemaVersion,
    ToolInfo Tool,
    string Unit,
    RunSummary Before,
    RunSummary After,
    IReadOnlyList<FindingChange> Findings,
    IReadOnlyList<SyscallChange> Syscalls,
    RuntimeChange? Runtime,
    IReadOnlyList<string> Notes)
{
    public const int CurrentSchemaVersion = 1;

    public const string PerSecond = "second";

    public const string PerRequest = "request";
}
