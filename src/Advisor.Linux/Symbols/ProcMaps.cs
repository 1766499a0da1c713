using System.Globalization;

namespace Advisor.Linux.Symbols;

/// <summary>Reads /proc/PID/maps.</summary>
public static class ProcMaps
{
    /// <summary>The mappings of a live process, by start address; empty when it is gone or unreadable.</summary>
    public static IReadOnlyList<MemoryMapping> Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/maps"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Parses maps text (<c>start-end perms offset dev inode [path]</c>); malformed lines are skipped.</summary>
    public static IReadOnlyList<MemoryMapping> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var mappings = new List<MemoryMapping>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParseLine(line, out var mapping))
            {
                mappings.Add(mapping);
            }
        }

        mappings.Sort((a, b) => a.Start.CompareTo(b.Start));
        return mappings;
    }

    private static bool TryParseLine(string line, out MemoryMapping mapping)
    {
        mapping = null!;
        // Five space-separated fields, then the path (which may itself contain spaces) after padding.
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5)
        {
            return false;
        }

        var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
            || end <= start
            || fields[1].Length != 4
            || !ulong.TryParse(fields[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var offset))
        {
            return false;
        }

        var path = fields.Length == 6 ? fields[5].Trim() : null;
        mapping = new MemoryMapping(start, end, fields[1], offset, string.IsNullOrEmpty(path) ? null : path);
        return true;
    }
}
