using System.Globalization;

namespace Advisor.Core.Rules.Expressions;

/// <summary>
/// A rule expression that cannot be parsed or evaluated. The message is one line ending in
/// <c>at column N</c>; <see cref="ExpressionText"/> and <see cref="Column"/> let callers point at the spot.
/// </summary>
public sealed class RuleExpressionException : Exception
{
    public RuleExpressionException(string reason, string expressionText, int column)
        : base(string.Create(CultureInfo.InvariantCulture, $"{reason} at column {column}"))
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(expressionText);
        Reason = reason;
        ExpressionText = expressionText;
        Column = column;
    }

    /// <summary>The problem without its position, e.g. <c>unknown function 'maxx'</c>.</summary>
    public string Reason { get; }

    /// <summary>The full source text of the expression.</summary>
    public string ExpressionText { get; }

    /// <summary>1-based character position in <see cref="ExpressionText"/>; one past the end for a premature end.</summary>
    public int Column { get; }

    /// <summary>Two lines: the expression, and a caret under <see cref="Column"/>.</summary>
    public string ToCaretDiagnostic()
    {
        // Line breaks become spaces so a multi-line YAML scalar still lines up with a single caret line;
        // tabs are kept in the padding so the caret lands under the same glyph the terminal shows.
        var line = ExpressionText.Replace('\r', ' ').Replace('\n', ' ');
        var padding = new char[Math.Clamp(Column - 1, 0, line.Length)];
        for (var i = 0; i < padding.Length; i++)
        {
            padding[i] = line[i] == '\t' ? '\t' : ' ';
        }

        return line + Environment.NewLine + new string(padding) + "^";
    }
}
