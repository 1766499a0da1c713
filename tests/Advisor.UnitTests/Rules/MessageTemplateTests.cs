using Advisor.Core.Rules;
using Advisor.Core.Rules.Metrics;
using Advisor.Core.Stacks;

namespace Advisor.UnitTests.Rules;

public class MessageTemplateTests
{
    private static MetricGroup Group(params (string Name, double Value)[] metrics)
    {
        var values = new MetricValues();
        foreach (var (name, value) in metrics)
        {
            values[Metric.ByName[name]] = value;
        }

        return new(
            [],
            values,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["syscall"] = "pwrite64",
                ["path"] = "/var/log/app.log",
                ["fd"] = "17",
                ["thread"] = ".NET TP Worker ×4",
                ["pid"] = "4242",
            },
            ([], CallStacks.None),
            []);
    }

    private static string Render(string template, params (string Name, double Value)[] metrics) =>
        MessageTemplate.Parse(template).Render(Group(metrics));

    [Fact]
    public void Text_without_placeholders_renders_as_written()
    {
        var template = MessageTemplate.Parse("nothing to see");

        template.Text.ShouldBe("nothing to see");
        template.Render(Group()).ShouldBe("nothing to see");
    }

    [Fact]
    public void Labels_render_as_text()
    {
        Render("{syscall} on {path} (fd {fd}) in {pid} from {thread}")
            .ShouldBe("pwrite64 on /var/log/app.log (fd 17) in 4242 from .NET TP Worker ×4");
    }

    [Fact]
    public void The_built_in_messages_render_with_their_numbers()
    {
        Render("{syscall} ×{count} ({avgBytes:0} B avg) on {path} from {thread}", ("count", 498_112), ("avgBytes", 16.2))
            .ShouldBe("pwrite64 ×498,112 (16 B avg) on /var/log/app.log from .NET TP Worker ×4");
    }

    [Theory]
    [InlineData(200_000, "200,000")] // large: grouped, no decimals
    [InlineData(12.7, "13")]
    [InlineData(5, "5")] // whole: no decimals
    [InlineData(5.5, "5.5")] // small: up to two decimals
    [InlineData(0.125, "0.13")]
    [InlineData(0.1, "0.1")]
    [InlineData(0, "0")]
    [InlineData(-2.5, "-2.5")]
    public void Numbers_without_a_format_are_shown_to_a_sensible_precision(double value, string expected)
    {
        Render("{count}", ("count", value)).ShouldBe(expected);
        MessageTemplate.Format(value, null).ShouldBe(expected);
    }

    [Theory]
    [InlineData("0", 16.4, "16")]
    [InlineData("0.0", 16, "16.0")]
    [InlineData("N0", 16_603.7, "16,604")]
    [InlineData("P0", 0.25, "25 %")] // the invariant culture's percent pattern
    [InlineData("F2", 3.14159, "3.14")]
    public void A_numeric_format_after_the_colon_is_a_dotnet_format(string format, double value, string expected)
    {
        Render($"{{rate:{format}}}", ("rate", value)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(16, "16 B")]
    [InlineData(999, "999 B")]
    [InlineData(256_000, "256 KB")]
    [InlineData(3_200_000, "3.2 MB")]
    [InlineData(7_969_792, "8.0 MB")]
    [InlineData(1_500_000_000, "1.5 GB")]
    public void The_size_format_prints_decimal_units(double bytes, string expected)
    {
        Render("{bytes:size}", ("bytes", bytes)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0.25, "0.25 ms")]
    [InlineData(2.5, "2.5 ms")]
    [InlineData(400, "400 ms")]
    [InlineData(999.4, "999 ms")]
    [InlineData(1_000, "1.0 s")]
    [InlineData(912_123, "912.1 s")]
    public void The_time_format_prints_milliseconds_or_seconds(double ms, string expected)
    {
        Render("{totalMs:time}", ("totalMs", ms)).ShouldBe(expected);
    }

    [Fact]
    public void Several_placeholders_and_literals_keep_their_order()
    {
        Render("a{count}b{errors}c{count}", ("count", 1), ("errors", 2)).ShouldBe("a1b2c1");
    }

    [Fact]
    public void An_unknown_placeholder_is_an_error_naming_it_and_its_column()
    {
        var e = Should.Throw<FormatException>(() => MessageTemplate.Parse("x ×{calls} on {path}"));

        e.Message.ShouldBe("unknown placeholder '{calls}' at column 4");
    }

    [Fact]
    public void A_placeholder_is_checked_by_its_name_not_its_format()
    {
        Should.Throw<FormatException>(() => MessageTemplate.Parse("{bites:size}")).Message.ShouldContain("'{bites}'");
        Should.NotThrow(() => MessageTemplate.Parse("{bytes:size} {p99Us:0.0} {wallShare:P0}"));
    }

    [Fact]
    public void An_unclosed_brace_is_an_error_naming_its_column()
    {
        Should.Throw<FormatException>(() => MessageTemplate.Parse("{count} and {path"))
            .Message.ShouldBe("unclosed '{' at column 13");
    }

    [Fact]
    public void Every_metric_and_label_is_a_valid_placeholder()
    {
        foreach (var name in Metric.All.Select(m => m.Name).Concat(MessageLabels.All))
        {
            Should.NotThrow(() => MessageTemplate.Parse($"{{{name}}}"), name);
        }
    }
}
