using System.Globalization;

namespace Advisor.Core.Rules.Expressions;

// The syntax tree. Numeric and condition nodes are separate branches of the hierarchy and every operand is
// typed by the branch it needs, so an ill-typed tree ("count and 3") cannot be built: the parser has to
// check each operand to construct the node, and the evaluator needs no runtime type checks.
// ToString renders the tree fully parenthesised, which makes the parser's grouping visible in tests.

/// <summary>A node of a parsed expression; <see cref="Column"/> is where it starts (operators: the operator).</summary>
internal abstract record ExpressionNode(int Column);

/// <summary>An expression with a numeric value.</summary>
internal abstract record NumericNode(int Column) : ExpressionNode(Column);

/// <summary>An expression that is true or false.</summary>
internal abstract record ConditionNode(int Column) : ExpressionNode(Column);

internal sealed record NumberLiteral(double Value, int Column) : NumericNode(Column)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A metric or threshold, looked up by name at evaluation time.</summary>
internal sealed record MetricReference(string Name, int Column) : NumericNode(Column)
{
    public override string ToString() => Name;
}

internal sealed record Negation(NumericNode Operand, int Column) : NumericNode(Column)
{
    public override string ToString() => $"(-{Operand})";
}

internal sealed record Arithmetic(ArithmeticOperator Operator, NumericNode Left, NumericNode Right, int Column)
    : NumericNode(Column)
{
    public override string ToString() => $"({Left} {Operator.Symbol()} {Right})";
}

internal sealed record FunctionCall(BuiltInFunction Function, IReadOnlyList<NumericNode> Arguments, int Column)
    : NumericNode(Column)
{
    public override string ToString() => $"{Function.Name}({string.Join(", ", Arguments)})";
}

internal sealed record Comparison(ComparisonOperator Operator, NumericNode Left, NumericNode Right, int Column)
    : ConditionNode(Column)
{
    public override string ToString() => $"({Left} {Operator.Symbol()} {Right})";
}

internal sealed record Logical(LogicalOperator Operator, ConditionNode Left, ConditionNode Right, int Column)
    : ConditionNode(Column)
{
    public override string ToString() => $"({Left} {Operator.Symbol()} {Right})";
}

internal sealed record LogicalNot(ConditionNode Operand, int Column) : ConditionNode(Column)
{
    public override string ToString() => $"(not {Operand})";
}

internal enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

internal enum ComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

internal enum LogicalOperator
{
    And,
    Or,
}

internal static class OperatorSymbols
{
    public static string Symbol(this ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        ArithmeticOperator.Remainder => "%",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Symbol(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Symbol(this LogicalOperator op) => op == LogicalOperator.And ? "and" : "or";
}
