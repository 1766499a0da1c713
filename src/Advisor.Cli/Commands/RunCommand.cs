using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;

namespace Advisor.Cli.Commands;

/// <summary><c>run [options] -- CMD ARGS</c>: launch a command traced from its first syscall, report when it exits.</summary>
internal static class RunCommand
{
    public static Command Create(SharedOptions shared)
    {
        var commandLine = new Argument<string[]>("command")
        {
            Description = "The command to launch and its arguments, after --.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(
            "run",
            "Launch a command with nothing missed from its first instruction, trace it until it exits (or --duration), then report. " +
            "Its stdout, stderr and exit code pass through; a non-zero exit code of the command is returned.");
        command.Arguments.Add(commandLine);
        shared.AddTo(command);
        command.SetAction((result, cancel) =>
            ProfileWorkflow.RunAsync(result.GetValue(commandLine) ?? [], shared.Bind(result), shared.Recording.Bind(result), cancel));
        return command;
    }
}
