using System.Globalization;
using System.Reflection;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;

namespace Advisor.Cli.Sessions;

/// <summary>Turns a finished recording into the report: rules, then the report model.</summary>
internal static class Analysis
{
    public static ToolInfo Tool { get; } = new("dotnet-advisor", Version());

    /// <param name="sessionNotes">What the recording command knows that the recording does not (how it ended).</param>
    public static AdvisorReport BuildReport(
        RecordingOutcome outcome, TargetInfo target, string backend, RuleCatalog rules, IEnumerable<string> sessionNotes)
    {
        var findings = RuleEngine.Run(rules, outcome.Snapshot);
        var notes = new List<string>(outcome.Statistics.Notes);
        notes.AddRange(sessionNotes);
        if (outcome.Statistics.Lost > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{outcome.Statistics.Lost:N0} syscall records were lost (ring buffers full): counts are lower bounds"));
        }

        if (!target.IsDotNet)
        {
            notes.Add("the target did not load the .NET runtime: findings come from its syscalls alone");
        }

        return ReportBuilder.Build(Tool, target, backend, notes, outcome.Snapshot, findings);
    }

    private static string Version()
    {
        var version = typeof(Analysis).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
