using System.Text.RegularExpressions;

namespace Advisor.UnitTests.Docs;

/// <summary>
/// The numbers the docs give as measurements, held against bench/RESULTS.md, where every measurement is recorded
/// with the command that made it. The rule, also stated in bench/README.md:
/// <list type="bullet">
/// <item>A number in measurement form — a ratio (<c>1.35×</c>) or a percentage (<c>−22.1%</c>, <c>88 %</c>,
/// <c>1.0% of a core</c>), or a range of either (<c>8–10%</c>) — must occur as such a number in RESULTS.md. A number
/// written with a sign must have that sign there; one written without may have any ("lost 22.1%" is RESULTS.md's
/// −22.1%). A range passes when RESULTS.md has it as it is or has both its ends.</item>
/// <item>Numbers in inline code (<c>`--max-regression 10%`</c>) are values a user types or a file holds, not
/// measurements, and are not checked.</item>
/// <item>A line that quotes a bar (a target the design or an issue sets, not a result) says <c>bar:</c>, and its
/// numbers are not checked.</item>
/// <item>Example output in code blocks is checked like prose: the run it came from is recorded in RESULTS.md
/// ("Outputs quoted in docs").</item>
/// </list>
/// Only ratios and percentages are matched: they are what a measurement claim is made of here, while counts,
/// sizes and durations are as often settings (a 4 MiB ring, a 1.5 s window) as results.
/// </summary>
internal static partial class MeasuredNumbers
{
    /// <summary>The marker of a line that quotes a bar instead of a measurement.</summary>
    public const string BarMarker = "bar:";

    /// <summary>A measured number the docs give that RESULTS.md does not have.</summary>
    public sealed record Unsourced(string File, int Line, string Number)
    {
        public override string ToString() => $"{File}:{Line}: {Number}";
    }

    /// <summary>Every ratio and percentage of <paramref name="results"/>, with and without its sign, ranges also by their ends.</summary>
    public static HashSet<string> In(string results)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Measurement().Matches(results))
        {
            var (whole, ends) = Keys(match);
            foreach (var key in ends.Prepend(whole))
            {
                known.Add(key);
                known.Add(key.TrimStart('+', '−'));
            }
        }

        return known;
    }

    /// <summary>The measured numbers of one doc that <paramref name="known"/> (from <see cref="In"/>) does not hold.</summary>
    public static IEnumerable<Unsourced> Check(string file, string doc, IReadOnlySet<string> known)
    {
        var lines = doc.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(BarMarker, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in Measurement().Matches(InlineCode().Replace(lines[i], "``")))
            {
                var (whole, ends) = Keys(match);
                if (!known.Contains(whole) && !(ends.Count > 0 && ends.All(known.Contains)))
                {
                    yield return new Unsourced(file, i + 1, match.Value.Trim());
                }
            }
        }
    }

    /// <summary>How a number is compared: its sign (− for a hyphen too), digits without thousands separators, its unit.</summary>
    private static (string Whole, IReadOnlyList<string> Ends) Keys(Match match)
    {
        var unit = match.Groups["unit"].Value.Trim();
        var from = Number(match.Groups["fromSign"].Value, match.Groups["from"].Value);
        if (!match.Groups["to"].Success)
        {
            return (from + unit, []);
        }

        var to = Number(match.Groups["toSign"].Value, match.Groups["to"].Value);
        return ($"{from}–{to}{unit}", [from + unit, to + unit]);
    }

    private static string Number(string sign, string digits) =>
        (sign == "-" ? "−" : sign) + digits.Replace(",", "", StringComparison.Ordinal);

    // A sign, a number, optionally a range's second number after an en dash or hyphen, then × or % (a space allowed
    // before %, as in "10 %"; none before ×, where "count × 0.9" is arithmetic). Not inside a longer number or word.
    [GeneratedRegex(@"(?<![\w.,])(?<fromSign>[+\-−]?)(?<from>\d[\d,]*(?:\.\d+)?)(?:[–-](?<toSign>[+\-−]?)(?<to>\d[\d,]*(?:\.\d+)?))?(?<unit>×| ?%)")]
    private static partial Regex Measurement();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();
}
