using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;

namespace Advisor.Cli.Commands;

/// <summary><c>report FILE</c>: analyse a saved recording again, or an strace log, with today's rules, thresholds and gates.</summary>
internal static class ReportCommand
{
    public static Command Create(SharedOptions shared)
    {
        var file = new Argument<string>("FILE") { Description = "A recording written with -o NAME.advisor, or a log of strace -f -tt -T -o FILE." };
        var command = new Command("report", "Re-analyse a saved recording (.advisor), or import an strace -f -tt -T log, with today's rules and options, and report.");
        command.Arguments.Add(file);
        shared.AddTo(command, withDuration: false, recording: false);
        command.SetAction((result, cancel) => Task.FromResult(ReportWorkflow.Run(result.GetValue(file)!, shared.Bind(result))));
        return command;
    }
}
