using Advisor.Core.Rules.Expressions;

namespace Advisor.UnitTests.Rules;

public class RuleExpressionTests
{
    private const string WhenExample = "count >= minCalls and avgBytes < maxAvgBytes and avgRun >= minRun";
    private const string AvoidableExample = "count - max(1, ceil(bytes / 65536))";

    private static DictionaryMetricResolver Metrics(params (string Name, double Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    private static readonly DictionaryMetricResolver NoMetrics = Metrics();

    private static double Eval(string text) => RuleExpression.Parse(text).Evaluate(NoMetrics);

    private static string Tree(string text) => RuleExpression.Parse(text).Root.ToString();

    // ---- the rule examples ----

    private static DictionaryMetricResolver GroupWithThresholds(double count, double avgBytes, double avgRun) =>
        Metrics(
            ("minCalls", 1000), ("maxAvgBytes", 512), ("minRun", 32),
            ("count", count), ("avgBytes", avgBytes), ("avgRun", avgRun));

    [Theory]
    [InlineData(5000, 100, 64, true)]
    [InlineData(1000, 511, 32, true)] // every bound exactly at its inclusive edge
    [InlineData(999, 100, 64, false)] // too few calls
    [InlineData(5000, 512, 64, false)] // buffers not small
    [InlineData(5000, 100, 31, false)] // runs too short
    [InlineData(0, 0, 0, false)] // empty group
    public void When_example_holds_only_when_every_clause_does(double count, double avgBytes, double avgRun, bool expected)
    {
        var when = RuleExpression.Parse(WhenExample);

        when.IsCondition.ShouldBeTrue();
        when.IsTrue(GroupWithThresholds(count, avgBytes, avgRun)).ShouldBe(expected);
        when.Evaluate(GroupWithThresholds(count, avgBytes, avgRun)).ShouldBe(expected ? 1 : 0);
    }

    [Theory]
    [InlineData(100, 200_000, 96)] // ceil(3.05) = 4 calls would have done
    [InlineData(100, 65_536, 99)]
    [InlineData(100, 0, 99)] // max(1, …) keeps at least one call necessary
    [InlineData(0, 0, -1)]
    public void AvoidableCalls_example_computes_the_saving(double count, double bytes, double expected)
    {
        var avoidable = RuleExpression.Parse(AvoidableExample);

        avoidable.IsCondition.ShouldBeFalse();
        avoidable.Evaluate(Metrics(("count", count), ("bytes", bytes))).ShouldBe(expected);
    }

    [Fact]
    public void Unit_suffix_reads_the_same_as_the_plain_number()
    {
        var metrics = Metrics(("count", 100), ("bytes", 200_000));

        RuleExpression.Parse("count - max(1, ceil(bytes / 64KiB))").Evaluate(metrics)
            .ShouldBe(RuleExpression.Parse(AvoidableExample).Evaluate(metrics));
    }

    [Fact]
    public void Parsed_once_the_expression_evaluates_against_many_groups()
    {
        var when = RuleExpression.Parse(WhenExample);

        when.IsTrue(GroupWithThresholds(5000, 100, 64)).ShouldBeTrue();
        when.IsTrue(GroupWithThresholds(10, 100, 64)).ShouldBeFalse();
        when.IsTrue(GroupWithThresholds(5000, 100, 64)).ShouldBeTrue();
    }

    // ---- precedence and associativity ----

    [Theory]
    [InlineData("a + b * c", "(a + (b * c))")]
    [InlineData("a * b + c", "((a * b) + c)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a / b / c", "((a / b) / c)")]
    [InlineData("a / b % c", "((a / b) % c)")]
    [InlineData("(a + b) * c", "((a + b) * c)")]
    [InlineData("-a * b", "((-a) * b)")]
    [InlineData("a * -b", "(a * (-b))")]
    [InlineData("- -a", "(-(-a))")]
    [InlineData("a + b < c * d", "((a + b) < (c * d))")]
    [InlineData("not a < b", "(not (a < b))")]
    [InlineData("not not a < b", "(not (not (a < b)))")]
    [InlineData("not a < b and c < d", "((not (a < b)) and (c < d))")]
    [InlineData("a < b or c < d and e < f", "((a < b) or ((c < d) and (e < f)))")]
    [InlineData("a < b and c < d or e < f", "(((a < b) and (c < d)) or (e < f))")]
    [InlineData("a < b or c < d or e < f", "(((a < b) or (c < d)) or (e < f))")]
    [InlineData("(a < b or c < d) and e < f", "(((a < b) or (c < d)) and (e < f))")]
    [InlineData("max(a, b + 1, 3)", "max(a, (b + 1), 3)")]
    public void Operators_group_by_precedence_and_associate_left(string text, string expected) =>
        Tree(text).ShouldBe(expected);

    [Theory]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("64 / 4 / 2", 8)]
    [InlineData("7 % 4", 3)]
    [InlineData("2 * 7 % 4", 2)]
    [InlineData("-2 * 3", -6)]
    [InlineData("-(2 - 5)", 3)]
    [InlineData("2 - -3", 5)]
    [InlineData("((((1))))", 1)]
    public void Arithmetic_evaluates(string text, double expected) => Eval(text).ShouldBe(expected);

    [Theory]
    [InlineData("1 < 2", true)]
    [InlineData("2 < 2", false)]
    [InlineData("2 <= 2", true)]
    [InlineData("3 <= 2", false)]
    [InlineData("3 > 2", true)]
    [InlineData("2 > 2", false)]
    [InlineData("2 >= 2", true)]
    [InlineData("1 >= 2", false)]
    [InlineData("2 == 2", true)]
    [InlineData("2 == 3", false)]
    [InlineData("2 != 3", true)]
    [InlineData("2 != 2", false)]
    [InlineData("1 < 2 and 2 < 3", true)]
    [InlineData("1 < 2 and 3 < 2", false)]
    [InlineData("3 < 2 or 1 < 2", true)]
    [InlineData("3 < 2 or 4 < 2", false)]
    [InlineData("not 1 < 2", false)]
    [InlineData("not 3 < 2", true)]
    [InlineData("1 < 2 or 1 < 2 and 3 < 2", true)] // 'and' binds tighter; left-to-right would give false
    [InlineData("not 3 < 2 and 3 < 2", false)] // 'not' binds tighter than 'and'
    public void Conditions_evaluate(string text, bool expected)
    {
        var expression = RuleExpression.Parse(text);

        expression.IsCondition.ShouldBeTrue();
        expression.IsTrue(NoMetrics).ShouldBe(expected);
        expression.Evaluate(NoMetrics).ShouldBe(expected ? 1 : 0);
    }

    // ---- numbers and units ----

    [Theory]
    [InlineData("12", 12)]
    [InlineData("0.5", 0.5)]
    [InlineData("65_536", 65_536)]
    [InlineData("1_000_000", 1_000_000)]
    [InlineData("1_000.250_5", 1000.2505)]
    [InlineData("64KiB", 65_536)]
    [InlineData("1.5KiB", 1536)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("4_096KiB", 4_194_304)]
    [InlineData("10ms", 10)]
    [InlineData("2s", 2000)]
    [InlineData("0.5s", 500)]
    [InlineData("500us", 0.5)]
    [InlineData("1us", 0.001)]
    public void Numbers_and_units_evaluate_sizes_in_bytes_and_times_in_ms(string text, double expected) =>
        Eval(text).ShouldBe(expected);

    [Fact]
    public void Whitespace_of_any_kind_separates_tokens() =>
        Eval("\t1 +\n 2\r\n* 3 ").ShouldBe(7);

    // ---- functions ----

    [Theory]
    [InlineData("min(3, 1, 2)", 1)]
    [InlineData("min(3, 4)", 3)]
    [InlineData("max(3, 1, 2)", 3)]
    [InlineData("max(-3, -4)", -3)]
    [InlineData("ceil(1.2)", 2)]
    [InlineData("ceil(-1.5)", -1)]
    [InlineData("floor(1.8)", 1)]
    [InlineData("floor(-1.2)", -2)]
    [InlineData("abs(-3)", 3)]
    [InlineData("abs(3)", 3)]
    [InlineData("log2(1024)", 10)]
    [InlineData("log2(1MiB)", 20)]
    [InlineData("log2(0)", 0)] // an empty group's bytes, not -Infinity
    [InlineData("log2(-8)", 0)]
    [InlineData("max(1, ceil(7 / 2)) * 2", 8)]
    public void Functions_evaluate(string text, double expected) => Eval(text).ShouldBe(expected);

    [Fact]
    public void A_function_name_without_parentheses_is_an_ordinary_identifier()
    {
        var expression = RuleExpression.Parse("max + 1");

        expression.Identifiers.ShouldBe(["max"]);
        expression.Evaluate(Metrics(("max", 4))).ShouldBe(5);
    }

    // ---- division by zero ----

    [Theory]
    [InlineData("1 / 0", 0)]
    [InlineData("0 / 0", 0)]
    [InlineData("5 % 0", 0)]
    [InlineData("-5 / 0", 0)]
    [InlineData("5 % 3", 2)]
    public void Division_by_zero_gives_zero(string text, double expected) => Eval(text).ShouldBe(expected);

    [Fact]
    public void An_empty_group_yields_zero_ratios_rather_than_failing()
    {
        var avgBytes = RuleExpression.Parse("bytes / count");
        var small = RuleExpression.Parse("bytes / count < 512");
        var empty = Metrics(("bytes", 0), ("count", 0));

        avgBytes.Evaluate(empty).ShouldBe(0);
        small.IsTrue(empty).ShouldBeTrue();
    }

    // ---- identifiers ----

    [Fact]
    public void Identifiers_lists_each_referenced_name_once_and_no_function_names()
    {
        var expression = RuleExpression.Parse(
            "count >= minCalls and avgBytes < maxAvgBytes and errno.ENOENT > 0 and max(count, 1) > minCalls");

        expression.Identifiers.OrderBy(n => n, StringComparer.Ordinal)
            .ShouldBe(["avgBytes", "count", "errno.ENOENT", "maxAvgBytes", "minCalls"]);
    }

    [Fact]
    public void Identifiers_is_empty_for_a_constant_expression() =>
        RuleExpression.Parse("1 + 2KiB").Identifiers.ShouldBeEmpty();

    [Theory]
    [InlineData("_private")]
    [InlineData("a1_b2")]
    [InlineData("errno.ENOENT")]
    [InlineData("fd.kind.socket")]
    [InlineData("And")] // keywords are lowercase only, so this is a name
    [InlineData("NOT")]
    public void Identifier_syntax_is_letters_digits_underscores_and_dots(string name)
    {
        var expression = RuleExpression.Parse(name + " + 1");

        expression.Identifiers.ShouldBe([name]);
        expression.Evaluate(Metrics((name, 41))).ShouldBe(42);
    }

    [Fact]
    public void Identifiers_are_case_sensitive()
    {
        var ex = Should.Throw<RuleExpressionException>(
            () => RuleExpression.Parse("Count > 1").Evaluate(Metrics(("count", 5))));

        ex.Message.ShouldBe("unknown metric or threshold 'Count' at column 1");
    }

    // ---- types ----

    [Theory]
    [InlineData("count", false)]
    [InlineData("1 + 2", false)]
    [InlineData("max(a, b)", false)]
    [InlineData("(count)", false)]
    [InlineData("count > 1", true)]
    [InlineData("(count > 1)", true)]
    [InlineData("not count > 1", true)]
    [InlineData("a > 1 or b > 1", true)]
    public void IsCondition_reports_the_static_type(string text, bool isCondition) =>
        RuleExpression.Parse(text).IsCondition.ShouldBe(isCondition);

    [Theory]
    [InlineData("count and 3", "'and' needs conditions on both sides at column 7")]
    [InlineData("count > 1 and 3", "'and' needs conditions on both sides at column 11")]
    [InlineData("a or b > 1", "'or' needs conditions on both sides at column 3")]
    [InlineData("not count", "'not' needs a condition at column 1")]
    [InlineData("-(a < b)", "'-' needs a number at column 1")]
    [InlineData("(a < b) + 1", "'+' needs numbers on both sides at column 9")]
    [InlineData("2 * (a < b)", "'*' needs numbers on both sides at column 3")]
    [InlineData("(a < b) == 1", "'==' needs numbers on both sides at column 9")]
    [InlineData("(a < b) == (c < d)", "'==' needs numbers on both sides at column 9")]
    [InlineData("ceil(a < b)", "'ceil' needs numbers as arguments, not conditions at column 6")]
    [InlineData("max(1, a < b)", "'max' needs numbers as arguments, not conditions at column 8")]
    public void Mixing_numbers_and_conditions_is_rejected_at_parse_time(string text, string message) =>
        ParseError(text).Message.ShouldBe(message);

    [Fact]
    public void IsTrue_on_a_numeric_expression_throws()
    {
        var ex = Should.Throw<InvalidOperationException>(() => RuleExpression.Parse("count + 1").IsTrue(NoMetrics));

        ex.Message.ShouldBe("'count + 1' is a number, not a condition");
    }

    // ---- error messages and columns ----

    [Theory]
    // lexical
    [InlineData("a $ b", "unexpected character '$' at column 3", 3)]
    [InlineData("count > 1 @", "unexpected character '@' at column 11", 11)]
    [InlineData("a \u0001", "unexpected character U+0001 at column 3", 3)]
    [InlineData("64kb", "unknown unit 'kb' (expected KiB, MiB, GiB, us, ms or s) at column 3", 3)]
    [InlineData("64 KB", "unexpected 'KB' at column 4", 4)]
    [InlineData("1e3", "unknown unit 'e3' (expected KiB, MiB, GiB, us, ms or s) at column 2", 2)]
    [InlineData("1__0", "'_' in a number must sit between two digits at column 2", 2)]
    [InlineData("10_", "'_' in a number must sit between two digits at column 3", 3)]
    [InlineData("1_.5", "'_' in a number must sit between two digits at column 2", 2)]
    [InlineData("1.", "expected a digit after the decimal point at column 2", 2)]
    [InlineData("1._5", "expected a digit after the decimal point at column 2", 2)]
    [InlineData(".5", "unexpected character '.' at column 1", 1)]
    [InlineData("count = 1", "use '==' to compare, not '=' at column 7", 7)]
    [InlineData("a > 1 && b > 1", "use 'and' instead of '&&' at column 7", 7)]
    [InlineData("a > 1 || b > 1", "use 'or' instead of '||' at column 7", 7)]
    [InlineData("!(a > 1)", "use 'not' instead of '!' at column 1", 1)]
    // syntactic
    [InlineData("", "the expression is empty at column 1", 1)]
    [InlineData("   ", "the expression is empty at column 1", 1)]
    [InlineData("count >=", "unexpected end of expression at column 9", 9)]
    [InlineData("(count + 1", "expected ')' at column 11", 11)]
    [InlineData("max(count, 1) * (bytes / 65536 + 1", "expected ')' at column 35", 35)]
    [InlineData("(a + b c)", "expected ')' at column 8", 8)]
    [InlineData("count 3", "unexpected '3' at column 7", 7)]
    [InlineData("count)", "unexpected ')' at column 6", 6)]
    [InlineData("count > * 2", "expected a number, name or '(' but found '*' at column 9", 9)]
    [InlineData("count > and", "expected a number, name or '(' but found 'and' at column 9", 9)]
    [InlineData("()", "expected a number, name or '(' but found ')' at column 2", 2)]
    [InlineData("count > 1 AND b > 1", "operators are lowercase: write 'and', not 'AND' at column 11", 11)]
    [InlineData("count > 1 Or b > 1", "operators are lowercase: write 'or', not 'Or' at column 11", 11)]
    [InlineData("a < b < c", "'<' cannot be chained at column 7", 7)]
    [InlineData("avg < b < c", "'<' cannot be chained at column 9", 9)]
    [InlineData("a == b != c", "'!=' cannot be chained at column 8", 8)]
    // functions
    [InlineData("count - maxx(1, 2)", "unknown function 'maxx' at column 9", 9)]
    [InlineData("count(1)", "unknown function 'count' at column 1", 1)]
    [InlineData("Max(1, 2)", "unknown function 'Max' at column 1", 1)]
    [InlineData("ceil(1, 2)", "'ceil' takes 1 argument but was given 2 at column 1", 1)]
    [InlineData("1 + ceil()", "'ceil' takes 1 argument but was given 0 at column 5", 5)]
    [InlineData("max(1)", "'max' takes at least 2 arguments but was given 1 at column 1", 1)]
    [InlineData("min()", "'min' takes at least 2 arguments but was given 0 at column 1", 1)]
    [InlineData("max(1 2)", "expected ',' or ')' at column 7", 7)]
    [InlineData("ceil(1 2)", "expected ')' at column 8", 8)]
    [InlineData("max(1,)", "expected a number, name or '(' but found ')' at column 7", 7)]
    [InlineData("max(1, 2", "expected ',' or ')' at column 9", 9)]
    public void Parse_errors_name_the_problem_and_its_column(string text, string message, int column)
    {
        var ex = ParseError(text);

        ex.Message.ShouldBe(message);
        ex.Column.ShouldBe(column);
        ex.ExpressionText.ShouldBe(text);
    }

    [Fact]
    public void Unknown_identifier_at_evaluation_names_it_and_its_column()
    {
        var expression = RuleExpression.Parse("count > limit");

        var ex = Should.Throw<RuleExpressionException>(() => expression.IsTrue(Metrics(("count", 1))));

        ex.Message.ShouldBe("unknown metric or threshold 'limit' at column 9");
        ex.Reason.ShouldBe("unknown metric or threshold 'limit'");
        ex.Column.ShouldBe(9);
        ex.ExpressionText.ShouldBe("count > limit");
    }

    [Fact]
    public void And_and_or_short_circuit_so_the_skipped_side_is_not_resolved()
    {
        var metrics = Metrics(("count", 0));

        RuleExpression.Parse("count > 0 and missing > 1").IsTrue(metrics).ShouldBeFalse();
        RuleExpression.Parse("count == 0 or missing > 1").IsTrue(metrics).ShouldBeTrue();
        Should.Throw<RuleExpressionException>(() => RuleExpression.Parse("count == 0 and missing > 1").IsTrue(metrics));
    }

    [Fact]
    public void Caret_diagnostic_points_at_the_column()
    {
        var ex = ParseError("count >= minCalls and\n  avgBytes < maxx(1, 2)");

        ex.Column.ShouldBe(36);
        ex.ToCaretDiagnostic().ShouldBe(
            "count >= minCalls and   avgBytes < maxx(1, 2)" + Environment.NewLine +
            new string(' ', 35) + "^");
    }

    [Fact]
    public void Messages_are_single_lines()
    {
        string[] broken = ["a $ b", "(count + 1", "count - maxx(1)", "a < b < c", "count and 3", "max(1)", "\n\n"];

        foreach (var text in broken)
        {
            ParseError(text).Message.ShouldNotContain('\n');
        }
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Should.Throw<ArgumentNullException>(() => RuleExpression.Parse(null!));
        Should.Throw<ArgumentNullException>(() => RuleExpression.Parse("1").Evaluate(null!));
        Should.Throw<ArgumentNullException>(() => RuleExpression.Parse("1 < 2").IsTrue(null!));
        Should.Throw<ArgumentNullException>(() => new DictionaryMetricResolver(null!));
    }

    [Fact]
    public void Text_and_ToString_return_the_source()
    {
        var expression = RuleExpression.Parse(" count  > 1 ");

        expression.Text.ShouldBe(" count  > 1 ");
        expression.ToString().ShouldBe(" count  > 1 ");
    }

    private static RuleExpressionException ParseError(string text) =>
        Should.Throw<RuleExpressionException>(() => RuleExpression.Parse(text));
}
