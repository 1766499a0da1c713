using System.Globalization;
using Advisor.Core.Failures;
using Advisor.Linux.Procfs;

namespace Advisor.Runtime.Discovery;

/// <summary>
/// Finds .NET processes from /proc: every process that has the runtime mapped. Unlike the diagnostic
/// endpoints dotnet-trace lists (which a stale socket file can break, and DOTNET_EnableDiagnostics=0
/// hides), this sees every .NET process the tool may read, and the syscall backend needs nothing more.
/// </summary>
public static class DotNetProcesses
{
    public static IReadOnlyList<DotNetProcess> List()
    {
        var self = Environment.ProcessId;
        var processes = new List<DotNetProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            if (RuntimeProbe.RuntimeVersion(pid) is { } version && ProcessIdentity.Read(pid) is { } identity)
            {
                processes.Add(new DotNetProcess(pid, identity.Name, version, identity.CommandLine));
            }
        }

        return processes.OrderBy(p => p.Pid).ToList();
    }

    /// <summary>Resolves -n NAME to one pid, or fails with a line saying why (none, or which ones).</summary>
    public static int ResolveName(string name)
    {
        var matches = List()
            .Where(p => string.Equals(p.AppName, name, StringComparison.Ordinal) || string.Equals(p.Name, name, StringComparison.Ordinal))
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
