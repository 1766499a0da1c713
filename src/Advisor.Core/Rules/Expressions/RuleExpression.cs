namespace Advisor.Core.Rules.Expressions;

/// <summary>
/// A parsed rule expression: a condition such as <c>count &gt;= minCalls and avgBytes &lt; maxAvgBytes</c>
/// or a number such as <c>count - max(1, ceil(bytes / 64KiB))</c>. Parse once, evaluate per group.
/// </summary>
/// <remarks>
/// <para>
/// Numbers: <c>12</c>, <c>0.5</c>, <c>65_536</c> (underscores between digits), optionally followed directly
/// by a unit: <c>KiB</c>, <c>MiB</c>, <c>GiB</c> (powers of 1024) or <c>us</c>, <c>ms</c>, <c>s</c>.
/// Times are in milliseconds: <c>2s</c> is 2000, <c>10ms</c> is 10, <c>500us</c> is 0.5.
/// </para>
/// <para>
/// Names (<c>[A-Za-z_][A-Za-z0-9_.]*</c>, e.g. <c>avgBytes</c>, <c>errno.ENOENT</c>) are metrics or thresholds,
/// resolved through an <see cref="IMetricResolver"/> when evaluated.
/// </para>
/// <para>
/// Operators, loosest first: <c>or</c>; <c>and</c>; <c>not</c>; <c>&lt; &lt;= &gt; &gt;= == !=</c> (not
/// chainable); <c>+ -</c>; <c>* / %</c>; unary <c>-</c>. Parentheses group. Functions: <c>min</c>, <c>max</c>
/// (two or more arguments), <c>ceil</c>, <c>floor</c>, <c>abs</c>, <c>log2</c>.
/// </para>
/// <para>
/// Every expression is either a number or a condition, checked when parsed: arithmetic, comparisons and
/// functions take numbers; <c>and</c>, <c>or</c>, <c>not</c> take conditions.
/// Evaluation never fails on data: <c>x / 0</c> and <c>x % 0</c> are 0, and <c>log2</c> of 0 or less is 0.
/// </para>
/// </remarks>
public sealed class RuleExpression
{
    private RuleExpression(string text, ExpressionNode root, IReadOnlySet<string> identifiers)
    {
        Text = text;
        Root = root;
        Identifiers = identifiers;
    }

    /// <summary>The source text, as given to <see cref="Parse"/>.</summary>
    public string Text { get; }

    /// <summary><see langword="true"/> for a condition (true/false), <see langword="false"/> for a number.</summary>
    public bool IsCondition => Root is ConditionNode;

    /// <summary>Every metric or threshold name the expression references, for validation before evaluating.</summary>
    public IReadOnlySet<string> Identifiers { get; }

    internal ExpressionNode Root { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="RuleExpressionException">The text is not a valid expression.</exception>
    public static RuleExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (root, identifiers) = Parser.Parse(text);
        return new RuleExpression(text, root, identifiers);
    }

    /// <summary>The value of the expression; a condition gives 1 when true and 0 when false.</summary>
    /// <exception cref="RuleExpressionException">A referenced name is unknown to <paramref name="metrics"/>.</exception>
    public double Evaluate(IMetricResolver metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var evaluator = new Evaluator(Text, metrics);
        return Root switch
        {
            ConditionNode condition => evaluator.Condition(condition) ? 1 : 0,
            NumericNode number => evaluator.Number(number),
            _ => throw new InvalidOperationException($"unhandled node {Root.GetType().Name}"),
        };
    }

    /// <summary>Whether the condition holds.</summary>
    /// <exception cref="InvalidOperationException">The expression is a number, not a condition.</exception>
    /// <exception cref="RuleExpressionException">A referenced name is unknown to <paramref name="metrics"/>.</exception>
    public bool IsTrue(IMetricResolver metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (Root is not ConditionNode condition)
        {
            throw new InvalidOperationException($"'{Text}' is a number, not a condition");
        }

        return new Evaluator(Text, metrics).Condition(condition);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
