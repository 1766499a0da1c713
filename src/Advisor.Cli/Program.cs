using Advisor.Cli.CommandLine;
using Advisor.Cli.Demo;
using Advisor.Cli.Sessions;
using Advisor.Linux.Launch;
using Advisor.Linux.Safety;

namespace Advisor.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // The internal modes come first and bypass the parser: the trampoline must pass the user's arguments
        // through untouched, and all must do as little as possible before their real work.
        if (args.Length > 0 && args[0] == SelfInvocation.ExecVerb)
        {
            return Task.FromResult(ExecTrampoline.Run(args[1..]));
        }

        if (args.Length > 0 && args[0] == SelfInvocation.DemoWorkloadVerb)
        {
            return Task.FromResult(DemoWorkload.Run());
        }

        if (args.Length > 0 && args[0] == SelfInvocation.ResumeGuardVerb)
        {
            return Task.FromResult(ResumeGuard.Run(args[1..]));
        }

        return AdvisorCommandLine.InvokeAsync(args);
    }
}
