using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `dotnet-advisor mcp` through the MCP SDK's own client over stdio: the tools it lists, a profile of a running
/// sample, a hang verdict, a recording read again, and the CLI's own one-line errors, each checked in the structured
/// JSON the tools return.
/// </summary>
public sealed class McpServerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-mcp-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string File(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public async Task Lists_the_read_only_tools_and_run_only_when_allowed()
    {
        await using (var server = await AdvisorMcp.StartAsync())
        {
            (await server.ToolNamesAsync()).ShouldBe(["ps", "profile", "hang", "report", "diff", "rules_list", "rules_explain"], ignoreOrder: true);

            // Not listed, and not callable either: the server has no such tool.
            var refused = await Should.ThrowAsync<ModelContextProtocol.McpException>(
                async () => await server.Client.CallToolAsync("run", new Dictionary<string, object?> { ["command"] = new[] { "touch", File("ran") } }));
            refused.Message.ShouldContain("run");
            System.IO.File.Exists(File("ran")).ShouldBeFalse("nothing was launched");
        }

        await using (var server = await AdvisorMcp.StartAsync("--allow-run"))
        {
            (await server.ToolNamesAsync()).ShouldBe(["ps", "profile", "hang", "report", "diff", "rules_list", "rules_explain", "run"], ignoreOrder: true);
        }
    }

    [SkippableFact]
    public async Task Profiles_a_running_writer_by_pid_and_finds_its_unbuffered_writes()
    {
        Privileges.RequireTracing();
        var output = File("out.dat");
        // Steady mode: 10,000 unbuffered 16-byte writes every 100 ms, for longer than the test needs.
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("UnbufferedWriter"), "--run-for", "120", "--path", output]);
        try
        {
            WrittenRecords.WaitFor(output, 10_000, "UnbufferedWriter");
            await using var server = await AdvisorMcp.StartAsync();

            var answer = await server.CallAsync("profile", new() { ["pid"] = target.Id, ["seconds"] = 3 });

            answer.IsError.ShouldBeFalse(string.Join('\n', answer.Texts));
            var report = answer.Report;
            report.Root.GetProperty("schemaVersion").GetInt32().ShouldBe(1);
            report.Root.GetProperty("target").GetProperty("pid").GetInt32().ShouldBe(target.Id);
            var finding = report.Findings("ADV002").ShouldHaveSingleItem();
            finding.GetProperty("message").GetString()!.ShouldContain("out.dat");
            finding.GetProperty("evidence").GetProperty("count").GetInt64().ShouldBeGreaterThanOrEqualTo(1_000);
            // The summary is the findings' own lines; the JSON is also there as text for clients that read only text.
            answer.Texts[0].ShouldStartWith(string.Create(CultureInfo.InvariantCulture, $"pid {target.Id} "));
            answer.Texts[0].ShouldContain($"WARNING ADV002 {finding.GetProperty("title").GetString()}: {finding.GetProperty("message").GetString()}");
            JsonNode.DeepEquals(JsonNode.Parse(answer.Texts[1]), JsonNode.Parse(answer.Json.GetRawText())).ShouldBeTrue();
            target.HasExited.ShouldBeFalse("profiling must leave the target running");
        }
        finally
        {
            target.Kill();
        }
    }

    [SkippableFact]
    public async Task Triages_the_deadlock_sample_and_gives_the_verdict()
    {
        Privileges.RequirePtraceAccess();
        var release = File("release");
        using var target = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("Hang"), "--scenario", "deadlock", "--release-after", release, "--timeout", "90"]);
        var stderr = target.StandardError.ReadToEndAsync();
        try
        {
            var ready = target.StandardOutput.ReadLineAsync();
            ready.Wait(TimeSpan.FromSeconds(90)).ShouldBeTrue("the deadlock never set in");
            TargetThreads.WaitUntilAsleep(target.Id, n => n is "transfer-a-b" or "transfer-b-a", 2, ["futex"], "deadlock");
            await using var server = await AdvisorMcp.StartAsync();

            var answer = await server.CallAsync("hang", new() { ["pid"] = target.Id });

            answer.IsError.ShouldBeFalse(string.Join('\n', answer.Texts));
            var hang = answer.Json.GetProperty("hang");
            hang.GetProperty("verdict").GetString().ShouldBe("deadlock");
            var message = answer.Report.Findings("ADV016").ShouldHaveSingleItem().GetProperty("message").GetString()!;
            message.ShouldContain("transfer-a-b");
            message.ShouldContain("transfer-b-a");
            answer.Texts[0].ShouldContain($"verdict: deadlock — {hang.GetProperty("summary").GetString()}");
            answer.Texts[0].ShouldContain($"next step: {hang.GetProperty("nextStep").GetString()}");

            // Unharmed: released, it finishes both transfers and exits 0.
            TargetThreads.ShouldBeUntouched(target.Id, "after the triage");
            System.IO.File.WriteAllText(release, "");
            target.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("the deadlock sample did not finish after release");
            target.ExitCode.ShouldBe(0, stderr.Result);
            stderr.Result.ShouldContain("completed=2");
        }
        finally
        {
            if (!target.HasExited)
            {
                target.Kill(entireProcessTree: true);
            }
        }
    }

    [SkippableFact]
    public async Task Reads_a_recording_as_report_does()
    {
        Privileges.RequireTracing();
        var recording = File("run.advisor");
        var recorded = ProcessRunner.Advisor("run", "-q", "-o", recording, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "50000", "--path", File("out.dat"));
        recorded.ExitCode.ShouldBe(0, recorded.Stderr);
        var cli = ProcessRunner.Advisor("report", recording, "--format", "json", "-q");
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        await using var server = await AdvisorMcp.StartAsync();

        var answer = await server.CallAsync("report", new() { ["file"] = recording });

        answer.IsError.ShouldBeFalse(string.Join('\n', answer.Texts));
        answer.Report.Findings("ADV002").ShouldHaveSingleItem().GetProperty("evidence").GetProperty("count").GetInt64().ShouldBe(50_000);
        var expected = ReportJson.Parse(cli.Stdout).Root;
        foreach (var part in new[] { "findings", "summary", "threads", "session", "target" })
        {
            // The same JSON, not the same text: the protocol carries it compact, with its own escaping.
            JsonNode.DeepEquals(JsonNode.Parse(answer.Json.GetProperty(part).GetRawText()), JsonNode.Parse(expected.GetProperty(part).GetRawText())).ShouldBeTrue(part);
        }
    }

    [SkippableFact]
    public async Task Runs_a_command_only_when_allowed_and_reports_it()
    {
        Privileges.RequireTracing();
        await using var server = await AdvisorMcp.StartAsync("--allow-run");

        var answer = await server.CallAsync("run", new()
        {
            ["command"] = new[] { "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--path", File("out.dat") },
            ["seconds"] = 60,
        });

        answer.IsError.ShouldBeFalse(string.Join('\n', answer.Texts));
        answer.Json.GetProperty("target").GetProperty("exitCode").GetInt32().ShouldBe(0);
        answer.Report.Findings("ADV002").ShouldHaveSingleItem().GetProperty("evidence").GetProperty("count").GetInt64().ShouldBe(20_000);
        answer.Texts[0].ShouldContain("command exited with code 0");
    }

    [Fact]
    public async Task A_missing_pid_a_bad_file_and_a_refused_argument_are_the_CLIs_own_line_and_exit_code()
    {
        var garbage = File("garbage.advisor");
        System.IO.File.WriteAllText(garbage, "not a recording\n");
        var missing = File("missing.advisor");
        await using var server = await AdvisorMcp.StartAsync();

        foreach (var (tool, arguments, cli) in new (string, Dictionary<string, object?>, string[])[]
        {
            ("profile", new() { ["pid"] = 999999999, ["seconds"] = 1 }, ["profile", "-p", "999999999", "--duration", "1s", "--format", "json", "-q"]),
            ("hang", new() { ["pid"] = 999999999 }, ["hang", "-p", "999999999", "--format", "json", "-q"]),
            ("report", new() { ["file"] = garbage }, ["report", garbage, "--format", "json", "-q"]),
            ("report", new() { ["file"] = missing }, ["report", missing, "--format", "json", "-q"]),
            ("rules_explain", new() { ["id"] = "ADV999" }, ["rules", "explain", "ADV999", "--format", "json"]),
        })
        {
            var expected = ProcessRunner.Advisor(cli);
            expected.ExitCode.ShouldBeOneOf(2, 3);
            var line = expected.Stderr.Trim();
            line.ShouldStartWith("dotnet-advisor: ");
            line.ShouldNotContain("\n");

            var answer = await server.CallAsync(tool, arguments);

            answer.IsError.ShouldBeTrue(tool);
            answer.Texts.ShouldBe([line], tool);
            answer.Json.GetProperty("error").GetString().ShouldBe(line);
            answer.Json.GetProperty("exitCode").GetInt32().ShouldBe(expected.ExitCode, tool);
        }

        var tooLong = await server.CallAsync("profile", new() { ["pid"] = Environment.ProcessId, ["seconds"] = 61 });
        tooLong.IsError.ShouldBeTrue();
        tooLong.Texts.ShouldBe(["dotnet-advisor: profile: seconds may be at most 60 (got 61): the server's tools are bounded in time"]);
        tooLong.Json.GetProperty("exitCode").GetInt32().ShouldBe(2);

        // The server lives on after every failure: the catalogue still answers.
        var rules = await server.CallAsync("rules_list", []);
        rules.IsError.ShouldBeFalse();
        rules.Json.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldContain("ADV016");
    }

    [Fact]
    public async Task Nothing_but_protocol_reaches_stdout_and_the_server_ends_when_its_input_closes()
    {
        using var server = ProcessRunner.Start(RepoLayout.Tool, ["mcp"]);
        var stderr = server.StandardError.ReadToEndAsync();
        foreach (var request in new[]
        {
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""",
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"rules_explain","arguments":{"id":"ADV002"}}}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"hang","arguments":{"pid":999999999}}}""",
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"ps","arguments":{}}}""",
        })
        {
            await server.StandardInput.WriteLineAsync(request);
        }

        await server.StandardInput.FlushAsync();
        var lines = new List<string>();
        using (var limit = new CancellationTokenSource(ProcessRunner.DefaultTimeout))
        {
            while (lines.Count(l => JsonDocument.Parse(l).RootElement.TryGetProperty("id", out _)) < 4)
            {
                lines.Add(await server.StandardOutput.ReadLineAsync(limit.Token) ?? throw new ShouldAssertException($"stdout closed before the four answers: {await stderr}"));
            }
        }

        server.StandardInput.Close();
        lines.AddRange((await server.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        server.WaitForExit(TimeSpan.FromSeconds(30)).ShouldBeTrue("the server did not end when its stdin closed");
        server.ExitCode.ShouldBe(0, await stderr);

        // Every line is a JSON-RPC message: no stray output of the server or of the commands it ran.
        var messages = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        messages.ShouldAllBe(m => m.GetProperty("jsonrpc").GetString() == "2.0");
        var answers = messages.Where(m => m.TryGetProperty("id", out _)).ToDictionary(m => m.GetProperty("id").GetInt32());
        answers[2].GetProperty("result").GetProperty("structuredContent").GetProperty("id").GetString().ShouldBe("ADV002");
        answers[3].GetProperty("result").GetProperty("isError").GetBoolean().ShouldBeTrue();
        answers[4].GetProperty("result").GetProperty("structuredContent").GetProperty("processes").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [SkippableFact]
    public async Task Diffs_a_recording_with_itself_as_the_diff_command_does()
    {
        Privileges.RequireTracing();
        var recording = File("run.advisor");
        var recorded = ProcessRunner.Advisor("run", "-q", "-o", recording, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "20000", "--path", File("out.dat"));
        recorded.ExitCode.ShouldBe(0, recorded.Stderr);
        var cli = ProcessRunner.Advisor("diff", recording, recording, "--format", "json");
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        await using var server = await AdvisorMcp.StartAsync();

        var answer = await server.CallAsync("diff", new() { ["before"] = recording, ["after"] = recording });

        answer.IsError.ShouldBeFalse(string.Join('\n', answer.Texts));
        JsonNode.DeepEquals(JsonNode.Parse(answer.Json.GetRawText()), JsonNode.Parse(cli.Stdout)).ShouldBeTrue("the tool's JSON is the command's");
        answer.Texts[0].ShouldStartWith("1 still\nSTILL ADV002 unbuffered-writes: pwrite64 ×", customMessage: answer.Texts[0]);

        var bad = await server.CallAsync("diff", new() { ["before"] = recording, ["after"] = File("missing.advisor") });
        bad.IsError.ShouldBeTrue();
        bad.Json.GetProperty("exitCode").GetInt32().ShouldBe(2);
        bad.Texts.ShouldHaveSingleItem().ShouldStartWith("dotnet-advisor: ");
    }
}
