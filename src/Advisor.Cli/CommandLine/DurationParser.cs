using System.Globalization;
using System.Text.RegularExpressions;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// --duration values: <c>30s</c>, <c>2m</c>, <c>1h</c>, <c>500ms</c>, a bare number of seconds, or
/// dotnet-trace's <c>dd:hh:mm:ss</c>.
/// </summary>
internal static partial class DurationParser
{
    /// <summary>An option's duration within its range, or its default when not given.</summary>
    /// <param name="range">The range and examples as the error line says them: "from 1s to 1h, such as 10s or 1m".</param>
    /// <exception cref="Core.Failures.AdvisorException">Not a duration, or out of the range (exit 2).</exception>
    public static TimeSpan Within(string? text, string option, TimeSpan fallback, TimeSpan min, TimeSpan max, string range)
    {
        if (text is null)
        {
            return fallback;
        }

        return TryParse(text, out var duration) && duration >= min && duration <= max
            ? duration
            : throw new Core.Failures.AdvisorException(Core.Failures.FailureKind.Usage, $"{option} '{text}' must be a duration {range}");
    }

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var match = WithUnit().Match(text);
        if (match.Success)
        {
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromSeconds(value),
            };
            return duration > TimeSpan.Zero;
        }

        var parts = text.Split(':');
        if (parts.Length == 4 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            duration = new TimeSpan(n[0], n[1], n[2], n[3]);
            return duration > TimeSpan.Zero;
        }

        return false;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex WithUnit();
}
