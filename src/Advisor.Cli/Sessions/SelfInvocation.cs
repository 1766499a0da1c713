using System.Reflection;

namespace Advisor.Cli.Sessions;

/// <summary>
/// How to start this tool again as a child (the launch trampoline, the demo workload, the resume guard): the apphost when we
/// run as one (installed tool, dotnet run), else `dotnet dotnet-advisor.dll`.
/// </summary>
internal static class SelfInvocation
{
    public const string ExecVerb = "__exec";
    public const string DemoWorkloadVerb = "__demo-workload";
    public const string ResumeGuardVerb = "__resume-guard";

    public static IReadOnlyList<string> Command(string verb)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the tool's own path is unknown");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Assembly.GetEntryAssembly()!.Location, verb]
            : [process, verb];
    }
}
