using System.Globalization;

namespace Advisor.Linux.Perf;

/// <summary>
/// The CPUs a target thread may run on. Per-CPU events are needed because an inherited (per-task) perf
/// event cannot be mmap'd; Environment.ProcessorCount is not enough, as it reflects our own affinity.
/// </summary>
internal static class OnlineCpus
{
    public static IReadOnlyList<int> Read()
    {
        try
        {
            return Parse(File.ReadAllText("/sys/devices/system/cpu/online"));
        }
        catch (IOException)
        {
            return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        }
    }

    /// <summary>Parses the kernel's cpu list format, e.g. <c>0-3,6,8-9</c>.</summary>
    public static IReadOnlyList<int> Parse(string list)
    {
        var cpus = new List<int>();
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                cpus.Add(int.Parse(part, CultureInfo.InvariantCulture));
                continue;
            }

            var first = int.Parse(part.AsSpan(0, dash), CultureInfo.InvariantCulture);
            var last = int.Parse(part.AsSpan(dash + 1), CultureInfo.InvariantCulture);
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }
}
