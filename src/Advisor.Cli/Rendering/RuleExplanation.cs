using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Spectre.Console;

namespace Advisor.Cli.Rendering;

/// <summary>`rules explain`: one rule as a reader needs it — what, when, with which numbers, and the fixes.</summary>
internal static class RuleExplanation
{
    public static void Render(IAnsiConsole console, RuleDefinition rule)
    {
        console.MarkupLine($"[bold]{rule.Id} {Markup.Escape(rule.Name)}[/] — {Markup.Escape(rule.Title)}");
        console.MarkupLine($"[grey]severity {SeverityNames.Display(rule.Severity)} · category {Markup.Escape(rule.Category)} · grouped by {rule.GroupByText}{(rule.Fallback ? " · only calls no other rule explained" : "")}[/]");
        console.WriteLine();
        console.WriteLine(rule.Description);
        console.WriteLine();
        Field(console, "looks at", rule.Syscalls.Count == 0 ? "every syscall" : string.Join(", ", rule.Syscalls));
        if (rule.ExcludedSyscalls.Count > 0)
        {
            Field(console, "never at", string.Join(", ", rule.ExcludedSyscalls));
        }

        if (rule.ThreadRoles.Count > 0)
        {
            Field(console, "on threads", string.Join(", ", rule.ThreadRoles.Select(Core.Threads.ThreadRoles.Display)));
        }

        if (rule.Condition is { } condition)
        {
            Field(console, "fires when", condition.When.Text);
        }

        if (rule.Analyser is { } analyser)
        {
            Field(console, "in hang", $"decided by the {analyser} analyser (docs/hang.md)");
        }

        Field(console, "thresholds", string.Join(", ", rule.Thresholds.Keys.Select(k => $"{k} = {rule.ThresholdText.GetValueOrDefault(k) ?? rule.Thresholds[k].ToString(System.Globalization.CultureInfo.InvariantCulture)}")));
        if (rule.Condition is { } decided)
        {
            Field(console, "avoidable", decided.AvoidableCalls.Text);
            if (decided.AvoidableWaitMs is { } waitMs)
            {
                Field(console, "waiting saved", waitMs.Text);
            }

            if (decided.AvoidableWorkMs is { } workMs)
            {
                Field(console, "CPU saved", workMs.Text);
            }
            Field(console, "message", decided.Message.Text);
        }

        console.WriteLine();
        foreach (var entry in rule.Advice)
        {
            var when = entry.IsGeneral ? "" : $" [grey](when {Markup.Escape(string.Join(" and ", entry.Conditions(p => $"/{p}/")))})[/]";
            console.MarkupLine($"[bold]Fix[/]{when}: {Markup.Escape(entry.Advice.Text)}");
            Code(console, "before", entry.Advice.Before, "red");
            Code(console, "after", entry.Advice.After, "green");
        }
    }

    private static void Field(IAnsiConsole console, string name, string value) =>
        console.MarkupLine($"  [bold]{name,-11}[/] {Markup.Escape(value)}");

    private static void Code(IAnsiConsole console, string label, string? code, string color)
    {
        if (code is null)
        {
            return;
        }

        console.MarkupLine($"    [grey]{label}:[/]");
        foreach (var line in code.Split('\n'))
        {
            console.MarkupLine($"      [{color}]{Markup.Escape(line)}[/]");
        }
    }
}
