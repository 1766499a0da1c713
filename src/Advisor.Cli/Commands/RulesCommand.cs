using System.CommandLine;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Cli.Rendering;
using Spectre.Console;

namespace Advisor.Cli.Commands;

/// <summary><c>rules list</c>: the rule catalogue.</summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List the rules with their id, severity and title.");
        list.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Simple);
            table.AddColumn("id");
            table.AddColumn("name");
            table.AddColumn("severity");
            table.AddColumn("title");
            foreach (var rule in RuleCatalog.BuiltIn().Rules)
            {
                table.AddRow(rule.Id, rule.Name, SeverityNames.Display(rule.Severity), Markup.Escape(rule.Title));
            }

            Terminal.Stdout.Write(table);
            return (int)ReturnCode.Ok;
        });

        var command = new Command("rules", "The rule catalogue.");
        command.Subcommands.Add(list);
        command.SetAction(result => list.Parse([]).Invoke());
        return command;
    }
}
