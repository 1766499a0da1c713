using System.Text.Json;
using Advisor.Cli.Mcp;
using ModelContextProtocol.Protocol;

namespace Advisor.UnitTests.Mcp;

/// <summary>What a finished command becomes: its JSON and a summary, or its own one-line error and exit code.</summary>
public class ToolResultsTests
{
    private static readonly CliCall Ps = new(["ps", "--format", "json"], TimeSpan.FromSeconds(30));

    [Fact]
    public void A_command_that_printed_its_json_gives_it_as_structured_content_after_the_summary()
    {
        var result = ToolResults.From(Ps, new CliOutcome(0, """{ "processes": [] }""", "", Stopped: false), _ => "0 .NET processes");

        result.IsError.ShouldNotBe(true);
        result.StructuredContent!.Value.GetProperty("processes").GetArrayLength().ShouldBe(0);
        Texts(result).ShouldBe(["0 .NET processes", """{ "processes": [] }"""]);
    }

    [Fact]
    public void A_refusal_is_the_commands_own_line_and_exit_code()
    {
        var result = ToolResults.From(
            new CliCall(["hang", "-p", "999999999", "--format", "json", "-q"], TimeSpan.FromSeconds(60)),
            new CliOutcome(3, "", "dotnet-advisor: no process with id 999999999 (see `dotnet-advisor ps`)\n", Stopped: false),
            _ => throw new InvalidOperationException("no summary of a failure"));

        result.IsError.ShouldBe(true);
        Texts(result).ShouldBe(["dotnet-advisor: no process with id 999999999 (see `dotnet-advisor ps`)"]);
        result.StructuredContent!.Value.GetProperty("exitCode").GetInt32().ShouldBe(3);
        result.StructuredContent!.Value.GetProperty("error").GetString().ShouldBe("dotnet-advisor: no process with id 999999999 (see `dotnet-advisor ps`)");
    }

    [Fact]
    public void A_command_stopped_at_its_bound_without_a_report_is_an_internal_error_saying_so()
    {
        var result = ToolResults.From(Ps, new CliOutcome(137, "", "", Stopped: true), _ => "");

        result.IsError.ShouldBe(true);
        Texts(result).ShouldBe(["dotnet-advisor: ps did not finish within its bound of 30 s and was stopped"]);
        result.StructuredContent!.Value.GetProperty("exitCode").GetInt32().ShouldBe(5);
    }

    [Fact]
    public void A_recording_stopped_at_its_bound_still_gives_what_it_saw_and_says_it_was_stopped()
    {
        var result = ToolResults.From(Ps, new CliOutcome(0, """{ "processes": [] }""", "", Stopped: true), _ => "0 .NET processes");

        result.IsError.ShouldNotBe(true);
        Texts(result)[0].ShouldBe("0 .NET processes\nstopped at the tool's bound of 30 s: the report covers what was seen until then");
    }

    [Fact]
    public void A_success_without_json_is_an_internal_error_not_an_empty_answer()
    {
        var result = ToolResults.From(Ps, new CliOutcome(0, "pid name\n", "", Stopped: false), _ => "");

        result.IsError.ShouldBe(true);
        Texts(result).ShouldBe(["dotnet-advisor: ps exited with code 0 without a JSON report"]);
        result.StructuredContent!.Value.GetProperty("exitCode").GetInt32().ShouldBe(5);
    }

    [Fact]
    public void A_run_whose_command_failed_still_reports_from_its_file()
    {
        var directory = Directory.CreateTempSubdirectory("advisor-mcp-test-");
        try
        {
            var file = Path.Combine(directory.FullName, "report.json");
            File.WriteAllText(file, """{ "findings": [] }""");
            var run = new CliCall(["run", "-o", file, "--", "false"], TimeSpan.FromSeconds(60)) { ReportFile = file };

            var result = ToolResults.From(run, new CliOutcome(1, "", "", Stopped: false), json => $"{json.GetProperty("findings").GetArrayLength()} findings");

            result.IsError.ShouldNotBe(true);
            Texts(result)[0].ShouldBe("0 findings");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<string> Texts(CallToolResult result) => result.Content.OfType<TextContentBlock>().Select(t => t.Text).ToList();
}
