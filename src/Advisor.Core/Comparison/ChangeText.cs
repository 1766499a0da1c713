using System.Globalization;

namespace Advisor.Core.Comparison;

/// <summary>A diff's numbers as every view prints them: rates with the digits that matter, changes with their sign.</summary>
public static class ChangeText
{
    /// <summary>12,400 · 312 · 4.5 · 0.031: three significant digits below 1,000, whole numbers above.</summary>
    public static string Rate(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude == 0 || magnitude >= 100 ? "N0" : magnitude >= 10 ? "N1" : magnitude >= 1 ? "N2" : "0.###";
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text is "0" or "-0" && value != 0 ? (value > 0 ? "<0.001" : ">-0.001") : text;
    }

    /// <summary>The change as a reader wants it: −99.9 %, +12 %, or "new" and "gone" where a side is zero.</summary>
    public static string Percent(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change switch
        {
            { Before: 0, After: 0 } => "=",
            { Before: 0 } => "new",
            { After: 0 } => "gone",
            _ => change.Percent!.Value.ToString("+0.#;−0.#;0", CultureInfo.InvariantCulture) + " %",
        };
    }

    /// <summary>The unit a rate is per, for column heads: "/s" or "/req".</summary>
    public static string Per(string unit) => unit == RunDiff.PerRequest ? "/req" : "/s";

    /// <summary>The status as a word: fixed, new, still there.</summary>
    public static string Status(FindingStatus status) => status switch
    {
        FindingStatus.Fixed => "fixed",
        FindingStatus.New => "new",
        _ => "still there",
    };
}
