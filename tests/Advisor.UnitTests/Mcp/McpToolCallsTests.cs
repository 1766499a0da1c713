using System.Text.Json;
using Advisor.Cli.Mcp;
using Advisor.Cli.Mcp.Tools;
using Advisor.Core.Failures;

namespace Advisor.UnitTests.Mcp;

/// <summary>Each MCP tool stands for one command line of the tool, with JSON output and a bound in time.</summary>
public class McpToolCallsTests
{
    [Fact]
    public void Without_allow_run_no_tool_launches_a_command()
    {
        var readOnly = AdvisorTools.For(allowRun: false);
        readOnly.Select(t => t.ProtocolTool.Name).ShouldBe(["ps", "profile", "hang", "report", "diff", "rules_list", "rules_explain"]);
        readOnly.ShouldAllBe(t => t.ProtocolTool.Annotations!.ReadOnlyHint == true);

        var withRun = AdvisorTools.For(allowRun: true);
        withRun.Select(t => t.ProtocolTool.Name).ShouldBe([.. readOnly.Select(t => t.ProtocolTool.Name), "run"]);
        withRun.Single(t => t.ProtocolTool.Name == "run").ProtocolTool.Annotations!.ReadOnlyHint.ShouldBe(false);
    }

    [Fact]
    public void Profile_records_for_ten_seconds_by_default_and_at_most_sixty()
    {
        var call = new ProfileTool().Call(Parse("""{ "pid": 4242 }"""));
        call.Arguments.ShouldBe(["profile", "-p", "4242", "--duration", "10s", "--format", "json", "-q"]);
        call.Bound.ShouldBeGreaterThan(TimeSpan.FromSeconds(10));
        call.ReportFile.ShouldBeNull();

        var longest = new ProfileTool().Call(Parse("""{ "pid": 4242, "seconds": 60 }"""));
        longest.Arguments.ShouldContain("60s");
        longest.Bound.ShouldBe(call.Bound + TimeSpan.FromSeconds(50));

        Should.Throw<AdvisorException>(() => new ProfileTool().Call(Parse("""{ "pid": 4242, "seconds": 61 }""")))
            .Message.ShouldBe("profile: seconds may be at most 60 (got 61): the server's tools are bounded in time");
    }

    [Fact]
    public void Hang_report_and_diff_pass_their_targets_as_the_command_line_takes_them()
    {
        new HangTool().Call(Parse("""{ "pid": 7 }""")).Arguments.ShouldBe(["hang", "-p", "7", "--format", "json", "-q"]);
        new ReportTool().Call(Parse("""{ "file": "run.advisor" }""")).Arguments
            .ShouldBe(["report", Path.Combine(Environment.CurrentDirectory, "run.advisor"), "--format", "json", "-q"]);
        new DiffTool().Call(Parse("""{ "before": "/r/a.advisor", "after": "/r/b.advisor" }""")).Arguments
            .ShouldBe(["diff", "/r/a.advisor", "/r/b.advisor", "--format", "json"]);
        Should.Throw<AdvisorException>(() => new DiffTool().Call(Parse("""{ "before": "/r/a.advisor" }"""))).Message.ShouldBe("diff: after is required");
    }

    [Fact]
    public void Rules_are_listed_and_explained_as_json_and_an_id_cannot_be_an_option()
    {
        new PsTool().Call(null).Arguments.ShouldBe(["ps", "--format", "json"]);
        new RulesListTool().Call(null).Arguments.ShouldBe(["rules", "list", "--format", "json"]);
        new RulesExplainTool().Call(Parse("""{ "id": "ADV002" }""")).Arguments.ShouldBe(["rules", "explain", "ADV002", "--format", "json"]);
        Should.Throw<AdvisorException>(() => new RulesExplainTool().Call(Parse("""{ "id": "--rules=/tmp" }""")))
            .Message.ShouldBe("no rule '--rules=/tmp' (see dotnet-advisor rules list)");
    }

    [Fact]
    public void Run_launches_the_argv_after_a_double_dash_and_reports_to_a_file_of_its_own()
    {
        var call = new RunTool().Call(Parse("""{ "command": ["dotnet", "--version"], "seconds": 5 }"""));
        try
        {
            call.Arguments.ShouldBe(["run", "--duration", "5s", "-q", "-o", call.ReportFile!, "--", "dotnet", "--version"]);
            Directory.Exists(Path.GetDirectoryName(call.ReportFile)).ShouldBeTrue();
            File.Exists(call.ReportFile).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(call.ReportFile)!, recursive: true);
        }

        Should.Throw<AdvisorException>(() => new RunTool().Call(Parse("""{ "command": ["sleep", "1000"], "seconds": 301 }""")))
            .Message.ShouldBe("run: seconds may be at most 300 (got 301): the server's tools are bounded in time");
    }

    [Fact]
    public void Every_tool_declares_the_arguments_it_takes()
    {
        foreach (var tool in AdvisorTools.For(allowRun: true))
        {
            var schema = tool.ProtocolTool.InputSchema;
            schema.GetProperty("type").GetString().ShouldBe("object");
            schema.GetProperty("additionalProperties").GetBoolean().ShouldBeFalse();
            var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
            if (schema.TryGetProperty("required", out var required))
            {
                required.EnumerateArray().Select(r => r.GetString()).ShouldBeSubsetOf(properties);
            }

            tool.ProtocolTool.Description.ShouldNotBeNullOrWhiteSpace();
        }
    }

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
