using System.CommandLine;
using System.Globalization;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Gates;
using Advisor.Core.Reporting;

namespace Advisor.Cli.CommandLine;

/// <summary>--fail-on, --budget, --baseline, --max-regression: the CI gates (exit code 1 when one fails).</summary>
internal sealed class GateOptions
{
    public Option<string?> FailOn { get; } = new("--fail-on")
    {
        Description = "Exit with code 1 when a finding is at or above this severity: error, warning, info or none (default none).",
    };

    public Option<string?> Budget { get; } = new("--budget")
    {
        Description = "A budget file (YAML): most calls per syscall and per call site, most findings per rule; exit 1 when exceeded.",
    };

    public Option<string?> Baseline { get; } = new("--baseline")
    {
        Description = "A JSON report to compare with: exit 1 when calls per call site rose by more than --max-regression.",
    };

    public Option<string?> MaxRegression { get; } = new("--max-regression")
    {
        Description = "How much more a call site may call than in --baseline: 10% (default), 0%, 50%.",
    };

    /// <param name="counts">Budgets and baselines compare syscall counts, which hang does not have.</param>
    public void AddTo(Command command, bool counts)
    {
        command.Options.Add(FailOn);
        if (counts)
        {
            command.Options.Add(Budget);
            command.Options.Add(Baseline);
            command.Options.Add(MaxRegression);
        }
    }

    public GateChoice Bind(ParseResult result) =>
        new(result.GetValue(FailOn), result.GetValue(Budget), result.GetValue(Baseline), result.GetValue(MaxRegression));
}

/// <summary>The gate options as values; <see cref="Load"/> reads and checks them before anything is recorded.</summary>
internal sealed record GateChoice(string? FailOnText, string? BudgetPath, string? BaselinePath, string? MaxRegressionText)
{
    public static GateChoice None { get; } = new(null, null, null, null);

    public GateSettings Load()
    {
        var failOn = Severity.None;
        if (FailOnText is not null && !SeverityNames.TryParse(FailOnText, out failOn))
        {
            throw new AdvisorException(FailureKind.Usage, $"--fail-on '{FailOnText}' must be error, warning, info or none");
        }

        if (MaxRegressionText is not null && BaselinePath is null)
        {
            throw new AdvisorException(FailureKind.Usage, "--max-regression needs --baseline REPORT.json to compare with");
        }

        return new GateSettings(
            failOn,
            BudgetPath is null ? null : BudgetLoader.LoadFile(InputFile.Require(BudgetPath, "--budget")),
            BaselinePath is null ? null : ReportJsonFile.Load(InputFile.Require(BaselinePath, "--baseline"), "baseline"),
            MaxRegressionText is null ? 0.10 : Percent(MaxRegressionText));
    }

    private static double Percent(string text)
    {
        var number = text.Trim().TrimEnd('%');
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0 && percent <= 10_000
            ? percent / 100
            : throw new AdvisorException(FailureKind.Usage, $"--max-regression '{text}' must be a percentage such as 10%");
    }
}

/// <summary>The gates in force for one run.</summary>
/// <param name="MaxRegression">0.10 for 10 %.</param>
internal sealed record GateSettings(Severity FailOn, Budget? Budget, AdvisorReport? Baseline, double MaxRegression)
{
    public IReadOnlyList<GateViolation> Check(AdvisorReport report) =>
    [
        .. Gate.FailOn(report, FailOn),
        .. Budget is null ? [] : Gate.Within(report, Budget),
        .. Baseline is null ? [] : Gate.AgainstBaseline(report, Baseline, MaxRegression),
    ];
}
