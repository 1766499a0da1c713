using System.CommandLine;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Sessions;

namespace Advisor.Cli.Commands;

/// <summary><c>demo</c>: profiles a misbehaving workload built into the tool, so a first run needs no app.</summary>
internal static class DemoCommand
{
    public static Command Create(SharedOptions shared)
    {
        var command = new Command(
            "demo",
            "Profile a built-in workload that writes a log unbuffered, fsyncs per record and polls a file's timestamp, and print the report.");
        shared.AddTo(command, withDuration: false);
        command.SetAction((result, cancel) =>
            ProfileWorkflow.RunAsync(SelfInvocation.Command(SelfInvocation.DemoWorkloadVerb), shared.Bind(result), shared.Recording.Bind(result), cancel));
        return command;
    }
}
