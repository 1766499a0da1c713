using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;
using Advisor.Runtime.Discovery;

namespace Advisor.Cli.Commands;

/// <summary><c>profile -p PID | -n NAME</c>: attach to a running process, record, analyse, report.</summary>
internal static class ProfileCommand
{
    public static Command Create(SharedOptions shared)
    {
        var processId = new Option<int?>("--process-id", "-p") { Description = "The process to profile." };
        var name = new Option<string?>("--name", "-n") { Description = "The .NET process to profile, by name (see ps)." };
        var command = new Command("profile", "Attach to a running process and record its syscalls until Ctrl+C or --duration, then report.");
        command.Options.Add(processId);
        command.Options.Add(name);
        shared.AddTo(command);
        command.SetAction((result, cancel) =>
        {
            var options = shared.Bind(result);
            var pid = (result.GetValue(processId), result.GetValue(name)) switch
            {
                ({ } p, null) => p,
                (null, { } n) => DotNetProcesses.ResolveName(n),
                (null, null) => throw new AdvisorException(FailureKind.Usage, "profile needs -p PID or -n NAME"),
                _ => throw new AdvisorException(FailureKind.Usage, "give either -p or -n, not both"),
            };
            return ProfileWorkflow.ProfileAsync(pid, options, cancel);
        });
        return command;
    }
}
