using System.CommandLine.Parsing;
using System.Globalization;

namespace Advisor.Cli.CommandLine;

/// <summary>
/// Whole-number option values parsed in the tool's words: System.CommandLine's own error names the CLR type
/// ("as expected type 'System.Int32'"), which does not tell a user what to type instead.
/// </summary>
internal static class WholeNumber
{
    /// <param name="expected">What to give instead: "use 1 to 1000 samples per second".</param>
    public static int? Parse(ArgumentResult result, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // Named as typed: -p or --process-id.
        var option = (result.Parent as OptionResult)?.IdentifierToken?.Value ?? result.Argument.Name;
        result.AddError($"{option} '{text}' is not a whole number: {expected}");
        return null;
    }
}
