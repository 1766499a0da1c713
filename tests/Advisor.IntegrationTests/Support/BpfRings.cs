using System.Globalization;

namespace Advisor.IntegrationTests.Support;

/// <summary>The BPF ring buffers a process holds open, as the kernel describes them in /proc/PID/fdinfo.</summary>
internal static class BpfRings
{
    private const string RingBufferType = "27"; // BPF_MAP_TYPE_RINGBUF

    /// <summary>The size of each ring buffer map the process has a descriptor of.</summary>
    public static IReadOnlyList<long> SizesIn(int pid)
    {
        var sizes = new List<long>();
        foreach (var file in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (IOException)
            {
                continue; // closed since it was listed
            }

            // Other kinds of descriptor repeat their fields (a timerfd's tfd), so no dictionary.
            string? Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim();
            if (Field("map_type") == RingBufferType && Field("max_entries") is { } size)
            {
                sizes.Add(long.Parse(size, CultureInfo.InvariantCulture));
            }
        }

        return sizes;
    }
}
