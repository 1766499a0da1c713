using System.CommandLine;
using System.Text.Json;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Core.Failures;
using Advisor.Runtime.Discovery;

namespace Advisor.UnitTests.Rendering;

/// <summary><c>ps --format json</c>, and the <c>--format</c> of the listing commands.</summary>
public class ProcessListJsonTests
{
    [Fact]
    public void Each_process_has_its_pid_names_runtime_and_command_line_and_an_unknown_runtime_is_left_out()
    {
        using var stream = new MemoryStream();
        ProcessListJson.Write(
            [
                new DotNetProcess(4242, "dotnet", "10.0.12", "dotnet exec /app/Orders.dll --port 80"),
                new DotNetProcess(7, "MyService", null, "/app/MyService"),
            ],
            stream);

        var processes = JsonDocument.Parse(stream.ToArray()).RootElement.GetProperty("processes").EnumerateArray().ToList();
        processes.Count.ShouldBe(2);
        processes[0].GetProperty("pid").GetInt32().ShouldBe(4242);
        processes[0].GetProperty("name").GetString().ShouldBe("dotnet");
        processes[0].GetProperty("appName").GetString().ShouldBe("Orders");
        processes[0].GetProperty("runtimeVersion").GetString().ShouldBe("10.0.12");
        processes[0].GetProperty("commandLine").GetString().ShouldBe("dotnet exec /app/Orders.dll --port 80");
        processes[1].GetProperty("appName").GetString().ShouldBe("MyService");
        processes[1].TryGetProperty("runtimeVersion", out _).ShouldBeFalse();
    }

    [Fact]
    public void The_listing_commands_print_json_or_their_table_and_refuse_any_other_format()
    {
        var format = new ListFormat();
        var command = new RootCommand();
        format.AddTo(command);

        format.IsJson(command.Parse([])).ShouldBeFalse();
        format.IsJson(command.Parse(["--format", "JSON"])).ShouldBeTrue();
        var refused = Should.Throw<AdvisorException>(() => format.IsJson(command.Parse(["--format", "sarif"])));
        refused.Kind.ShouldBe(FailureKind.Usage);
        refused.Message.ShouldBe("--format 'sarif' is not supported here: use json");
    }
}
