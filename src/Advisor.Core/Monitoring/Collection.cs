namespace Advisor.Core.Monitoring;

/// <summary>Evidence <c>monitor</c> saved when a trigger fired: a recording or a hang triage.</summary>
/// <param name="Process">What the process runs ("MyService", not "dotnet").</param>
/// <param name="Kind">What was saved.</param>
/// <param name="Trigger">The rule id that was raised, or <c>hang</c>.</param>
/// <param name="Paths">The files written.</param>
public sealed record Collection(int Pid, string Process, CollectionKind Kind, string Trigger, IReadOnlyList<string> Paths, DateTimeOffset At);

/// <summary>What <c>--collect</c> saves.</summary>
public enum CollectionKind
{
    /// <summary>A <c>.advisor</c> recording of the next seconds, for <c>report</c>.</summary>
    Recording,

    /// <summary>A hang triage, as <c>hang -o x.json -o x.md</c> writes it.</summary>
    Hang,
}
