using System.Text.Json;
using Advisor.Cli.Mcp;
using Advisor.Core.Failures;

namespace Advisor.UnitTests.Mcp;

/// <summary>A tool call's arguments are checked before anything runs, each problem refused in one usage line.</summary>
public class ToolArgumentsTests
{
    [Fact]
    public void A_pid_is_a_whole_number_above_zero_given_as_a_number_or_as_digits()
    {
        Arguments("""{ "pid": 4242 }""").Pid().ShouldBe(4242);
        Arguments("""{ "pid": "4242" }""").Pid().ShouldBe(4242);

        Refused(() => Arguments("""{ "pid": 0 }""").Pid()).ShouldBe("profile: pid must be a process id, a whole number above 0 (got 0)");
        Refused(() => Arguments("""{ "pid": -3 }""").Pid()).ShouldBe("profile: pid must be a process id, a whole number above 0 (got -3)");
        Refused(() => Arguments("""{ "pid": 1.5 }""").Pid()).ShouldBe("profile: pid must be a process id, a whole number above 0 (got 1.5)");
        Refused(() => Arguments("""{ "pid": "12a" }""").Pid()).ShouldBe("profile: pid must be a process id, a whole number above 0 (got \"12a\")");
        Refused(() => Arguments("""{ "pid": 99999999999 }""").Pid()).ShouldBe("profile: pid must be a process id, a whole number above 0 (got 99999999999)");
        Refused(() => Arguments("{}").Pid()).ShouldBe("profile: pid is required");
        Refused(() => Arguments("""{ "pid": null }""").Pid()).ShouldBe("profile: pid is required");
    }

    [Fact]
    public void Seconds_default_when_absent_and_are_refused_past_the_bound()
    {
        Arguments("{}").Seconds("seconds", 10, 60).ShouldBe(10);
        Arguments("""{ "seconds": 60 }""").Seconds("seconds", 10, 60).ShouldBe(60);

        Refused(() => Arguments("""{ "seconds": 61 }""").Seconds("seconds", 10, 60))
            .ShouldBe("profile: seconds may be at most 60 (got 61): the server's tools are bounded in time");
        Refused(() => Arguments("""{ "seconds": 0 }""").Seconds("seconds", 10, 60)).ShouldBe("profile: seconds must be at least 1 (got 0)");
        Refused(() => Arguments("""{ "seconds": "ten" }""").Seconds("seconds", 10, 60)).ShouldBe("profile: seconds must be a whole number of seconds (got \"ten\")");
    }

    [Fact]
    public void An_argument_the_tool_does_not_take_is_refused_rather_than_ignored()
    {
        Refused(() => Arguments("""{ "pid": 1, "duration": 5 }"""))
            .ShouldBe("profile has no argument 'duration' (it takes pid, seconds)");
        Refused(() => new ToolArguments("ps", Parse("""{ "all": true }"""), []))
            .ShouldBe("ps takes no arguments (got 'all')");
    }

    [Fact]
    public void A_file_path_is_made_absolute_so_it_cannot_pass_for_an_option()
    {
        Arguments("""{ "file": "--config=x.advisor" }""", "file").FilePath("file")
            .ShouldBe(Path.Combine(Environment.CurrentDirectory, "--config=x.advisor"));
        Arguments("""{ "file": "/tmp/a.advisor" }""", "file").FilePath("file").ShouldBe("/tmp/a.advisor");
        Refused(() => Arguments("""{ "file": "" }""", "file").FilePath("file")).ShouldBe("profile: file must be a non-empty string (got \"\")");
    }

    [Fact]
    public void A_command_line_is_a_non_empty_array_of_non_empty_strings()
    {
        Arguments("""{ "command": ["dotnet", "test", "--no-build"] }""", "command").Strings("command").ShouldBe(["dotnet", "test", "--no-build"]);

        Refused(() => Arguments("""{ "command": [] }""", "command").Strings("command")).ShouldBe("profile: command must be a non-empty array of non-empty strings (got [])");
        Refused(() => Arguments("""{ "command": "dotnet test" }""", "command").Strings("command")).ShouldBe("profile: command must be a non-empty array of non-empty strings (got \"dotnet test\")");
        Refused(() => Arguments("""{ "command": ["dotnet", 1] }""", "command").Strings("command")).ShouldBe("profile: command must be a non-empty array of non-empty strings (got [\"dotnet\", 1])");
    }

    private static ToolArguments Arguments(string json, params string[] known) =>
        new("profile", Parse(json), known.Length > 0 ? known : ["pid", "seconds"]);

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static string Refused(Func<object> action)
    {
        var refused = Should.Throw<AdvisorException>(action);
        refused.Kind.ShouldBe(FailureKind.Usage);
        return refused.Message;
    }
}
