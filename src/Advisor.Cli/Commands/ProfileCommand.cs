using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;

namespace Advisor.Cli.Commands;

/// <summary><c>profile -p PID | -n NAME</c>: attach to a running process, record, analyse, report.</summary>
internal static class ProfileCommand
{
    public static Command Create(SharedOptions shared)
    {
        var target = new TargetOptions("profile", "profile");
        var command = new Command("profile", "Attach to a running process and record its syscalls until Ctrl+C or --duration, then report.");
        target.AddTo(command);
        shared.AddTo(command);
        command.SetAction((result, cancel) => ProfileWorkflow.ProfileAsync(target.Resolve(result), shared.Bind(result), shared.Recording.Bind(result), cancel));
        return command;
    }
}
