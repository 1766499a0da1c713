using Advisor.Core.Rules.Expressions;

namespace Advisor.Core.Rules.Loading;

/// <summary>
/// A threshold's value: a constant in the expression language, so units work (256KiB, 10ms). Shared by rule
/// files and by advisor.yaml's overrides, so both accept and reject the same things.
/// </summary>
public static class ThresholdValue
{
    /// <returns>Null when valid, else why not (one phrase).</returns>
    public static string? TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "needs a value, such as 1000, 0.05, 64KiB or 10ms";
        }

        try
        {
            var expression = RuleExpression.Parse(text);
            if (expression.IsCondition || expression.Identifiers.Count > 0)
            {
                return $"'{text}' must be a number, such as 1000, 0.05, 64KiB or 10ms";
            }

            value = expression.Evaluate(new DictionaryMetricResolver(new Dictionary<string, double>()));
            return null;
        }
        catch (RuleExpressionException e)
        {
            return e.Message;
        }
    }
}
