namespace Advisor.Core.Rules.Expressions;

/// <summary>Walks a parsed tree against one set of metric values.</summary>
internal sealed class Evaluator
{
    private readonly string _text;
    private readonly IMetricResolver _metrics;

    public Evaluator(string text, IMetricResolver metrics)
    {
        _text = text;
        _metrics = metrics;
    }

    public double Number(NumericNode node) => node switch
    {
        NumberLiteral literal => literal.Value,
        MetricReference reference => Resolve(reference),
        Negation negation => -Number(negation.Operand),
        Arithmetic arithmetic => Apply(arithmetic.Operator, Number(arithmetic.Left), Number(arithmetic.Right)),
        FunctionCall call => call.Function.Apply(call.Arguments.Select(Number).ToArray()),
        _ => throw new InvalidOperationException($"unhandled numeric node {node.GetType().Name}"),
    };

    // 'and'/'or' short-circuit as rule authors expect, so a name on the skipped side is not looked up;
    // RuleExpression.Identifiers is how unknown names are caught up front, independent of the data.
    public bool Condition(ConditionNode node) => node switch
    {
        Comparison comparison => Compare(comparison.Operator, Number(comparison.Left), Number(comparison.Right)),
        Logical { Operator: LogicalOperator.And } and => Condition(and.Left) && Condition(and.Right),
        Logical or => Condition(or.Left) || Condition(or.Right),
        LogicalNot not => !Condition(not.Operand),
        _ => throw new InvalidOperationException($"unhandled condition node {node.GetType().Name}"),
    };

    private double Resolve(MetricReference reference) =>
        _metrics.TryGet(reference.Name, out var value)
            ? value
            : throw new RuleExpressionException(
                $"unknown metric or threshold '{reference.Name}'", _text, reference.Column);

    private static double Apply(ArithmeticOperator op, double left, double right) => op switch
    {
        ArithmeticOperator.Add => left + right,
        ArithmeticOperator.Subtract => left - right,
        ArithmeticOperator.Multiply => left * right,

        // Empty groups make ratios like bytes / count into 0 / 0. NaN or Infinity would make every comparison
        // false or true and leak into reports, and an exception would abort the whole report for one group,
        // so a zero divisor gives 0: "no data" contributes nothing.
        ArithmeticOperator.Divide => right == 0 ? 0 : left / right,
        ArithmeticOperator.Remainder => right == 0 ? 0 : left % right,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static bool Compare(ComparisonOperator op, double left, double right) => op switch
    {
        ComparisonOperator.Less => left < right,
        ComparisonOperator.LessOrEqual => left <= right,
        ComparisonOperator.Greater => left > right,
        ComparisonOperator.GreaterOrEqual => left >= right,
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
