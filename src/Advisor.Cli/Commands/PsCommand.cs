using System.CommandLine;
using System.Globalization;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Rendering;
using Advisor.Runtime.Discovery;
using Spectre.Console;

namespace Advisor.Cli.Commands;

/// <summary><c>ps</c>: the .NET processes that can be profiled, as dotnet-trace ps lists them.</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var format = new ListFormat();
        var command = new Command("ps", "List the .NET processes that can be profiled (--format json: {\"processes\": [{pid, name, appName, runtimeVersion, commandLine}]}).");
        format.AddTo(command);
        command.SetAction(result =>
        {
            var json = format.IsJson(result);
            var processes = DotNetProcesses.List();
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                ProcessListJson.Write(processes, stdout);
                return (int)ReturnCode.Ok;
            }

            if (processes.Count == 0)
            {
                Terminal.Stdout.MarkupLine("[grey]No .NET processes found that this user may read (run as root to see every user's).[/]");
                return (int)ReturnCode.Ok;
            }

            var table = new Table().Border(TableBorder.None);
            table.AddColumn(new TableColumn("pid").RightAligned());
            table.AddColumn("name");
            table.AddColumn("runtime");
            table.AddColumn("command line");
            foreach (var p in processes)
            {
                table.AddRow(
                    p.Pid.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(p.Name),
                    Markup.Escape(p.RuntimeVersion ?? "?"),
                    Markup.Escape(p.CommandLine));
            }

            Terminal.Stdout.Write(table);
            return (int)ReturnCode.Ok;
        });
        return command;
    }
}
