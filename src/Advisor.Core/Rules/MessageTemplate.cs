using System.Globalization;
using System.Text;
using Advisor.Core.Formatting;
using Advisor.Core.Rules.Metrics;

namespace Advisor.Core.Rules;

/// <summary>
/// A finding's one-line message with placeholders: <c>{count}</c>, <c>{avgBytes:0.0}</c> (a .NET numeric
/// format), <c>{bytes:size}</c> (human-readable size), <c>{totalMs:time}</c> (ms or s), and the labels
/// <c>{syscall}</c>, <c>{path}</c>, <c>{fd}</c>, <c>{thread}</c>, <c>{pid}</c>, <c>{topErrno}</c> (the most
/// frequent error), <c>{lockSite}</c> (lock-site groups), and <c>{site}</c>: the call site
/// when stacks name one (<c>MyApp.Log.Write → FileStream.Write</c>), else the thread.
/// </summary>
public sealed class MessageTemplate
{
    private readonly List<(string Literal, string? Name, string? Format)> _parts = [];

    private MessageTemplate(string text) => Text = text;

    public string Text { get; }

    /// <summary>Parses and checks every placeholder names a metric or a label.</summary>
    /// <exception cref="FormatException">One line naming the bad placeholder.</exception>
    public static MessageTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var template = new MessageTemplate(text);
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '{')
            {
                literal.Append(text[i]);
                continue;
            }

            var close = text.IndexOf('}', i);
            if (close < 0)
            {
                throw new FormatException($"unclosed '{{' at column {i + 1}");
            }

            var body = text[(i + 1)..close];
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? body : body[..colon];
            var format = colon < 0 ? null : body[(colon + 1)..];
            if (!Metric.ByName.ContainsKey(name) && !MessageLabels.All.Contains(name))
            {
                throw new FormatException($"unknown placeholder '{{{name}}}' at column {i + 1}");
            }

            template._parts.Add((literal.ToString(), name, format));
            literal.Clear();
            i = close;
        }

        template._parts.Add((literal.ToString(), null, null));
        return template;
    }

    /// <param name="callSite">The finding's call site, if its stacks name one (fills <c>{site}</c>).</param>
    public string Render(MetricGroup group, string? callSite = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        var text = new StringBuilder();
        foreach (var (literal, name, format) in _parts)
        {
            text.Append(literal);
            if (name is null)
            {
                continue;
            }

            if (name == "site")
            {
                text.Append(callSite ?? group.Labels.GetValueOrDefault("thread"));
            }
            else if (group.Labels.TryGetValue(name, out var label))
            {
                text.Append(label);
            }
            else if (group.TryGet(name, out var value))
            {
                text.Append(Format(value, format));
            }
        }

        return text.ToString();
    }

    public static string Format(double value, string? format) => format switch
    {
        "size" => Sizes.Format(value),
        "time" => value >= 1000
            ? (value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : value.ToString(value >= 10 ? "N0" : "0.0#", CultureInfo.InvariantCulture) + " ms",
        null when Math.Abs(value) >= 10 || value == Math.Floor(value) => value.ToString("N0", CultureInfo.InvariantCulture),
        null => value.ToString("0.0#", CultureInfo.InvariantCulture),
        _ => value.ToString(format, CultureInfo.InvariantCulture),
    };
}
