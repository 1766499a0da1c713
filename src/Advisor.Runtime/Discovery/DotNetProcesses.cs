using Advisor.Core.Failures;
using Advisor.Linux.Procfs;
using Microsoft.Diagnostics.NETCore.Client;

namespace Advisor.Runtime.Discovery;

/// <summary>
/// Finds .NET processes the way dotnet-trace ps does (the runtimes' published diagnostic endpoints), with
/// name, version and command line from /proc.
/// </summary>
public static class DotNetProcesses
{
    public static IReadOnlyList<DotNetProcess> List()
    {
        var self = Environment.ProcessId;
        return DiagnosticsClient.GetPublishedProcesses()
            .Where(pid => pid != self)
            .Select(pid => (Pid: pid, Identity: ProcessIdentity.Read(pid)))
            .Where(p => p.Identity is not null)
            .Select(p => new DotNetProcess(p.Pid, p.Identity!.Name, RuntimeProbe.RuntimeVersion(p.Pid), p.Identity.CommandLine))
            .OrderBy(p => p.Pid)
            .ToList();
    }

    /// <summary>Resolves -n NAME to one pid, or fails with a line saying why (none, or which ones).</summary>
    public static int ResolveName(string name)
    {
        var matches = List().Where(p => string.Equals(p.Name, name, StringComparison.Ordinal)
            || string.Equals(Path.GetFileNameWithoutExtension(p.CommandLine.Split(' ')[0]), name, StringComparison.Ordinal)
            || p.CommandLine.Split(' ').Skip(1).Take(1).Any(a => string.Equals(Path.GetFileNameWithoutExtension(a), name, StringComparison.Ordinal)))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0].Pid,
            0 => throw new AdvisorException(FailureKind.Target, $"no .NET process named '{name}' (see `dotnet-advisor ps`)"),
            _ => throw new AdvisorException(
                FailureKind.Usage,
                $"{matches.Count} .NET processes are named '{name}' ({string.Join(", ", matches.Select(m => m.Pid))}): choose one with -p"),
        };
    }
}
