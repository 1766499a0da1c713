using System.Globalization;
using Advisor.Core.Failures;
using Advisor.Linux.Native;

namespace Advisor.Linux.Perf;

/// <summary>
/// Finds tracepoint ids in tracefs. Many machines boot without tracefs mounted; like perf itself, the tool
/// then mounts it at its standard place (which needs root), since the ids exist only there.
/// </summary>
internal static class TraceFs
{
    private static readonly string[] Candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

    public static int EventId(string subsystem, string name)
    {
        foreach (var root in Candidates)
        {
            if (TryRead(root, subsystem, name, out var id))
            {
                return id;
            }
        }

        const string standard = "/sys/kernel/tracing";
        if (Directory.Exists(standard) && LibC.Mount("nodev", standard, "tracefs", 0, 0) == 0
            && TryRead(standard, subsystem, name, out var mounted))
        {
            return mounted;
        }

        throw new AdvisorException(
            FailureKind.Privilege,
            $"cannot read the {subsystem}:{name} tracepoint id: tracefs is not readable by this user or not mounted; " +
            "run as root (or `mount -t tracefs nodev /sys/kernel/tracing` and grant CAP_PERFMON), or use --backend ptrace or proc");
    }

    /// <summary>A tracepoint's id, or null when this kernel has none of that name (or tracefs cannot be read).</summary>
    public static int? TryEventId(string subsystem, string name)
    {
        foreach (var root in Candidates)
        {
            if (TryRead(root, subsystem, name, out var id))
            {
                return id;
            }
        }

        return null;
    }

    private static bool TryRead(string root, string subsystem, string name, out int id)
    {
        id = 0;
        var path = Path.Combine(root, "events", subsystem, name, "id");
        try
        {
            return File.Exists(path)
                && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
