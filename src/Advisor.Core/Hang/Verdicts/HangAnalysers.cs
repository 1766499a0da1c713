namespace Advisor.Core.Hang.Verdicts;

/// <summary>Every hang analyser a rule file may name: adding one means adding it here (docs/architecture.md).</summary>
public static class HangAnalysers
{
    public static readonly IReadOnlyList<IHangAnalyser> All = [new DeadlockAnalyser(), new StarvationAnalyser(), new StuckIoAnalyser()];

    public static IHangAnalyser? Find(string name) => All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
}
