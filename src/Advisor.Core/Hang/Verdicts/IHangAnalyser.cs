using Advisor.Core.Findings;
using Advisor.Core.Rules;

namespace Advisor.Core.Hang.Verdicts;

/// <summary>
/// Decides a rule over a hang snapshot where conditions over aggregates cannot (a cycle of lock owners, a
/// thread stuck past a threshold). A rule file hands its hang verdict to one by name (<c>analyser: stuck-io</c>);
/// the file gives the id, title, severity, thresholds and advice, the analyser only what it found, so no rule
/// id or threshold value lives in C#. Registered in <see cref="HangAnalysers"/>.
/// </summary>
public interface IHangAnalyser
{
    /// <summary>Its name and thresholds, as rule files see them.</summary>
    AnalyserDescriptor Descriptor { get; }

    /// <summary>What its findings make of the process, when it is the most serious cause found.</summary>
    VerdictKind Verdict { get; }

    /// <summary>What the user should do next when its verdict is the triage's.</summary>
    string NextStep { get; }

    /// <summary>
    /// The next step when <paramref name="finding"/> leads the verdict: <see cref="NextStep"/>, unless what the
    /// finding is about calls for a more precise one (the server a thread waits on).
    /// </summary>
    string NextStepFor(HangSnapshot snapshot, Finding finding) => NextStep;

    IEnumerable<Finding> Find(HangSnapshot snapshot, RuleDefinition rule);
}
