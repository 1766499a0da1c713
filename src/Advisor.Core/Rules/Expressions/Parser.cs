using System.Collections.Frozen;
using System.Globalization;

namespace Advisor.Core.Rules.Expressions;

/// <summary>
/// Recursive-descent parser, one method per precedence level (loosest first), type-checking as it builds.
/// </summary>
internal sealed class Parser
{
    private static readonly string[] Keywords = ["and", "or", "not"];

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly HashSet<string> _identifiers = new(StringComparer.Ordinal);
    private int _position;

    private Parser(string text)
    {
        _text = text;
        _tokens = Tokenizer.Tokenize(text);
    }

    private Token Current => _tokens[_position];

    public static (ExpressionNode Root, IReadOnlySet<string> Identifiers) Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.ParseWhole();
        return (root, parser._identifiers.ToFrozenSet(StringComparer.Ordinal));
    }

    private ExpressionNode ParseWhole()
    {
        if (Current.Kind == TokenKind.End)
        {
            throw Error("the expression is empty", 1);
        }

        var root = ParseOr();
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected(Current);
        }

        return root;
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Advance();
            var right = ParseAnd();
            left = new Logical(LogicalOperator.Or, Condition(left, op), Condition(right, op), op.Column);
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.Kind == TokenKind.And)
        {
            var op = Advance();
            var right = ParseNot();
            left = new Logical(LogicalOperator.And, Condition(left, op), Condition(right, op), op.Column);
        }

        return left;
    }

    private ExpressionNode ParseNot()
    {
        if (Current.Kind != TokenKind.Not)
        {
            return ParseComparison();
        }

        var op = Advance();
        var operand = ParseNot();
        return operand is ConditionNode condition
            ? new LogicalNot(condition, op.Column)
            : throw Error("'not' needs a condition", op.Column);
    }

    private ExpressionNode ParseComparison()
    {
        var left = ParseAdditive();
        if (!Current.IsComparison)
        {
            return left;
        }

        var op = Advance();
        var right = ParseAdditive();
        var comparison = new Comparison(ComparisonOf(op.Kind), Number(left, op), Number(right, op), op.Column);

        // "a < b < c" would silently compare a boolean with c in most languages; rejecting it is clearer
        // than either that or Python's chained meaning, which rule authors should spell out with 'and'.
        if (Current.IsComparison)
        {
            throw Error($"'{Current.Text}' cannot be chained", Current.Column);
        }

        return comparison;
    }

    private ExpressionNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var right = ParseMultiplicative();
            var kind = op.Kind == TokenKind.Plus ? ArithmeticOperator.Add : ArithmeticOperator.Subtract;
            left = new Arithmetic(kind, Number(left, op), Number(right, op), op.Column);
        }

        return left;
    }

    private ExpressionNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var right = ParseUnary();
            var kind = op.Kind switch
            {
                TokenKind.Star => ArithmeticOperator.Multiply,
                TokenKind.Slash => ArithmeticOperator.Divide,
                _ => ArithmeticOperator.Remainder,
            };
            left = new Arithmetic(kind, Number(left, op), Number(right, op), op.Column);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (Current.Kind != TokenKind.Minus)
        {
            return ParsePrimary();
        }

        var op = Advance();
        var operand = ParseUnary();
        return operand is NumericNode number
            ? new Negation(number, op.Column)
            : throw Error("'-' needs a number", op.Column);
    }

    private ExpressionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(token.Value, token.Column);

            case TokenKind.Identifier when Peek().Kind == TokenKind.LeftParen:
                return ParseCall();

            case TokenKind.Identifier:
                Advance();
                _identifiers.Add(token.Text);
                return new MetricReference(token.Text, token.Column);

            case TokenKind.LeftParen:
                Advance();
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;

            case TokenKind.End:
                throw Unexpected(token);

            default:
                throw Error($"expected a number, name or '(' but found {token.Describe()}", token.Column);
        }
    }

    private FunctionCall ParseCall()
    {
        var name = Advance();
        if (!BuiltInFunction.TryGet(name.Text, out var function))
        {
            throw Error($"unknown function '{name.Text}'", name.Column);
        }

        Advance();
        var arguments = new List<NumericNode>();
        if (Current.Kind == TokenKind.RightParen)
        {
            Advance();
        }
        else
        {
            while (true)
            {
                var argumentColumn = Current.Column;
                arguments.Add(ParseOr() as NumericNode
                    ?? throw Error($"'{function.Name}' needs numbers as arguments, not conditions", argumentColumn));

                if (Current.Kind == TokenKind.Comma)
                {
                    Advance();
                    continue;
                }

                Expect(TokenKind.RightParen, arguments.Count < function.MaxArguments ? "',' or ')'" : "')'");
                break;
            }
        }

        CheckArity(function, arguments.Count, name.Column);
        return new FunctionCall(function, arguments, name.Column);
    }

    private void CheckArity(BuiltInFunction function, int count, int column)
    {
        if (count >= function.MinArguments && count <= function.MaxArguments)
        {
            return;
        }

        var expected = function.MinArguments == function.MaxArguments
            ? Arguments(function.MinArguments)
            : "at least " + Arguments(function.MinArguments);
        throw Error(
            string.Create(CultureInfo.InvariantCulture, $"'{function.Name}' takes {expected} but was given {count}"),
            column);

        static string Arguments(int n) =>
            string.Create(CultureInfo.InvariantCulture, $"{n} argument{(n == 1 ? string.Empty : "s")}");
    }

    private NumericNode Number(ExpressionNode operand, Token op) =>
        operand as NumericNode ?? throw Error($"'{op.Text}' needs numbers on both sides", op.Column);

    private ConditionNode Condition(ExpressionNode operand, Token op) =>
        operand as ConditionNode ?? throw Error($"'{op.Text}' needs conditions on both sides", op.Column);

    private static ComparisonOperator ComparisonOf(TokenKind kind) => kind switch
    {
        TokenKind.Less => ComparisonOperator.Less,
        TokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
        TokenKind.Greater => ComparisonOperator.Greater,
        TokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
        TokenKind.Equal => ComparisonOperator.Equal,
        _ => ComparisonOperator.NotEqual,
    };

    private void Expect(TokenKind kind, string description)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {description}", Current.Column);
        }

        Advance();
    }

    private RuleExpressionException Unexpected(Token token)
    {
        if (token.Kind == TokenKind.End)
        {
            return Error("unexpected end of expression", token.Column);
        }

        // "count > 1 AND ..." reads naturally to an SQL writer, but keywords are lowercase only.
        var keyword = token.Kind == TokenKind.Identifier
            ? Keywords.FirstOrDefault(k => string.Equals(k, token.Text, StringComparison.OrdinalIgnoreCase))
            : null;
        if (keyword is not null)
        {
            return Error($"operators are lowercase: write '{keyword}', not '{token.Text}'", token.Column);
        }

        return Error($"unexpected {token.Describe()}", token.Column);
    }

    private Token Advance() => _tokens[_position++];

    private Token Peek() => _tokens[Math.Min(_position + 1, _tokens.Count - 1)];

    private RuleExpressionException Error(string reason, int column) => new(reason, _text, column);
}
