using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Comparison;

namespace Advisor.Cli.Commands;

/// <summary><c>diff BEFORE AFTER</c>: did the fix work — each finding fixed, new or still there, and the rates that moved.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var before = new Argument<string>("BEFORE") { Description = "The run before the change: a recording (NAME.advisor) or a JSON report (NAME.json)." };
        var after = new Argument<string>("AFTER") { Description = "The run after it, of the same program with the same workload." };
        var command = new Command(
            "diff",
            "Compare two runs of one program: recordings (analysed again with today's rules and configuration) or JSON reports. " +
            "Each finding, matched by rule, process and call site, is fixed, new or still there; the syscalls and the runtime's totals " +
            "are compared as rates per second (per request for services). Runs of another program, or of a volume of work more than " +
            $"{SameWork.VolumeFactor}× apart in total and per second, are refused (exit 2).\n\n" + ExitCodes.Help);
        command.Arguments.Add(before);
        command.Arguments.Add(after);
        var options = new DiffOptions();
        options.AddTo(command);
        command.SetAction((result, cancel) => Task.FromResult(DiffWorkflow.Run(result.GetValue(before)!, result.GetValue(after)!, options.Bind(result))));
        return command;
    }
}
