using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Spectre.Console;

namespace Advisor.Cli.Commands;

/// <summary><c>rules list</c> and <c>rules explain ID</c>: the catalogue in force (built-in, custom, configured).</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var catalog = new CatalogOptions();
        var format = new ListFormat();

        var list = new Command("list", "List the rules with their id, severity and title (--format json: {\"rules\": [{id, name, title, severity, category}]}).");
        catalog.AddTo(list);
        format.AddTo(list);
        list.SetAction(result =>
        {
            var json = format.IsJson(result);
            var rules = catalog.Bind(result).Load().Rules;
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                RuleCatalogJson.WriteList(rules, stdout);
                return (int)ReturnCode.Ok;
            }

            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("id");
            table.AddColumn("name");
            table.AddColumn("severity");
            table.AddColumn("category");
            table.AddColumn("title");
            foreach (var rule in rules)
            {
                table.AddRow(rule.Id, rule.Name, SeverityNames.Display(rule.Severity), rule.Category, Markup.Escape(rule.Title));
            }

            Terminal.Stdout.Write(table);
            return (int)ReturnCode.Ok;
        });

        var id = new Argument<string>("id") { Description = "The rule's id (ADV002) or name (unbuffered-writes)." };
        var explain = new Command("explain", "Explain one rule: what it flags, when, its thresholds, and how to fix what it finds (--format json: the same as one object).");
        explain.Arguments.Add(id);
        catalog.AddTo(explain);
        format.AddTo(explain);
        explain.SetAction(result =>
        {
            var json = format.IsJson(result);
            var wanted = result.GetValue(id)!;
            var rule = catalog.Bind(result).Load().Find(wanted)
                ?? throw new AdvisorException(FailureKind.Usage, $"no rule '{wanted}' (see dotnet-advisor rules list)");
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                RuleCatalogJson.WriteRule(rule, stdout);
                return (int)ReturnCode.Ok;
            }

            RuleExplanation.Render(Terminal.Stdout, rule);
            return (int)ReturnCode.Ok;
        });

        var command = new Command("rules", "The rule catalogue: list, or explain one rule.");
        command.Subcommands.Add(list);
        command.Subcommands.Add(explain);
        command.SetAction(_ => list.Parse([]).Invoke());
        return command;
    }
}
