namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// Every hang analyser, one per <see cref="AnalyserDescriptor"/> a rule file may name: adding one means adding its
/// descriptor there and the analyser here (docs/architecture.md).
/// </summary>
public static class HangAnalysers
{
    public static readonly IReadOnlyList<IHangAnalyser> All = [new DeadlockAnalyser(), new StarvationAnalyser(), new StuckIoAnalyser()];

    public static IHangAnalyser? Find(string name) => All.FirstOrDefault(a => string.Equals(a.Descriptor.Name, name, StringComparison.Ordinal));
}
