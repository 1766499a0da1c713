using System.Globalization;

namespace Advisor.Core.Formatting;

/// <summary>Byte counts the way people read them: 16 B, 64 KB, 7.9 MB (decimal units, as strace and perf print).</summary>
public static class Sizes
{
    public static string Format(double bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        var unit = 0;
        while (Math.Abs(bytes) >= 1000 && unit < units.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }

        var format = unit == 0 || bytes >= 100 ? "0" : "0.0";
        return bytes.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
