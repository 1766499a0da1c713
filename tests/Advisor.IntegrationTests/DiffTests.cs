using System.Text.Json;
using Advisor.IntegrationTests.Support;
using Advisor.UnitTests.Reports;

namespace Advisor.IntegrationTests;

/// <summary>
/// `diff` on real recordings (issue 32): UnbufferedWriter before and after its fix (`--fixed`), the same sample
/// recorded twice, a run against itself, the --fail-on-new gate both ways, and the inputs it must refuse.
/// </summary>
public sealed class DiffTests : IClassFixture<DiffTests.Recordings>
{
    private readonly Recordings _runs;

    public DiffTests(Recordings runs) => _runs = runs;

    [SkippableFact]
    public void The_fix_shows_as_ADV002_fixed_with_its_saving_and_passes_fail_on_new()
    {
        var result = _runs.Diff("patho.advisor", "fixed.advisor", "--format", "json", "--fail-on-new", "warning", "-o", "diff.md", "-o", "diff.html", "-o", "diff.json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Schema.Value.Validate(json.RootElement).ShouldBeEmpty();
        var adv002 = Finding(json.RootElement, "ADV002");
        adv002.GetProperty("status").GetString().ShouldBe("fixed");
        adv002.GetProperty("callSite").GetString().ShouldStartWith("Program.WriteRecords");
        adv002.GetProperty("savingMsPerUnit").GetProperty("before").GetDouble().ShouldBeGreaterThan(0);
        adv002.GetProperty("measuredSavingMsPerUnit").GetDouble().ShouldBeGreaterThan(0, "the writes' kernel time fell");
        json.RootElement.GetProperty("findings").EnumerateArray().ShouldNotContain(f => f.GetProperty("status").GetString() == "new" && f.GetProperty("severity").GetString() != "info");

        // The files: the same JSON as stdout, the Markdown as a table, the page with both runs.
        File.ReadAllText(_runs.PathOf("diff.json")).ShouldBe(result.Stdout);
        var markdown = File.ReadAllText(_runs.PathOf("diff.md"));
        markdown.ShouldContain("|---|---|---|---|---:|---:|---:|---:|---:|\n");
        markdown.ShouldContain("| **fixed** | warning | ADV002 unbuffered-writes | Program.WriteRecords");
        var html = File.ReadAllText(_runs.PathOf("diff.html"));
        html.ShouldContain("<div class=\"run before\">");
        html.ShouldContain("<div class=\"run after\">");
    }

    [SkippableFact]
    public void Swapped_the_finding_is_new_and_fail_on_new_exits_1()
    {
        var result = _runs.Diff("fixed.advisor", "patho.advisor", "--fail-on-new", "warning");

        result.ExitCode.ShouldBe(1, result.Stderr);
        result.Stdout.ShouldContain("NEW warning ADV002 unbuffered-writes from Program.WriteRecords");
        result.Stderr.ShouldContain("fail-on-new");
    }

    [SkippableFact]
    public void The_sample_recorded_twice_is_still_there_with_the_same_calls()
    {
        var result = _runs.Diff("patho.advisor", "again.advisor", "--format", "json", "--fail-on-new", "warning");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var adv002 = Finding(json.RootElement, "ADV002");
        adv002.GetProperty("status").GetString().ShouldBe("still");
        // The same 200,000 writes: what moves is only the time they took, so the rate moves with the run's length.
        adv002.GetProperty("before").GetProperty("count").GetInt64().ShouldBe(adv002.GetProperty("after").GetProperty("count").GetInt64());
        var (before, after) = (json.RootElement.GetProperty("before"), json.RootElement.GetProperty("after"));
        var rate = adv002.GetProperty("callsPerUnit");
        var durations = before.GetProperty("durationSeconds").GetDouble() / after.GetProperty("durationSeconds").GetDouble();
        (rate.GetProperty("after").GetDouble() / rate.GetProperty("before").GetDouble()).ShouldBe(durations, tolerance: 0.01);
    }

    [SkippableFact]
    public void A_run_against_itself_shows_nothing_new_and_no_change()
    {
        var result = _runs.Diff("patho.advisor", "patho.advisor", "--format", "json", "--fail-on-new", "info");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        findings.ShouldNotBeEmpty();
        findings.ShouldAllBe(f => f.GetProperty("status").GetString() == "still" && f.GetProperty("callsPerUnit").GetProperty("delta").GetDouble() == 0);
        json.RootElement.GetProperty("syscalls").EnumerateArray().ShouldAllBe(s => s.GetProperty("calls").GetProperty("delta").GetDouble() == 0);
    }

    [SkippableFact]
    public void A_JSON_report_and_a_recording_compare_and_the_diff_says_they_differ_in_kind()
    {
        var result = _runs.Diff("patho.json", "fixed.advisor", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Finding(json.RootElement, "ADV002").GetProperty("status").GetString().ShouldBe("fixed");
        json.RootElement.GetProperty("before").GetProperty("source").GetString().ShouldBe("report");
        json.RootElement.GetProperty("notes")[0].GetString()!.ShouldStartWith("patho.json is a report and fixed.advisor a recording");
    }

    [SkippableFact]
    public void Runs_of_two_different_commands_are_refused_in_one_line()
    {
        var line = OneLine(_runs.Diff("patho.advisor", "other.advisor"));

        line.ShouldBe("the runs did different work: patho.advisor ran UnbufferedWriter, other.advisor ran Scenarios; diff compares two runs of one program (its arguments may differ)");
    }

    [SkippableFact]
    public void A_corrupt_recording_gets_the_line_report_gives()
    {
        var bytes = File.ReadAllBytes(_runs.PathOf("patho.advisor"));
        for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 16; i++)
        {
            bytes[i] ^= 0xFF;
        }

        File.WriteAllBytes(_runs.PathOf("corrupt.advisor"), bytes);

        var line = OneLine(_runs.Diff("corrupt.advisor", "fixed.advisor"));

        line.ShouldStartWith("corrupt.advisor: ");
        line.ShouldBe(OneLine(_runs.Tool("report", "corrupt.advisor")));
    }

    [SkippableFact]
    public void A_report_of_another_schema_version_is_refused_in_one_line()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_runs.PathOf("patho.json")))!;
        json["schemaVersion"] = 2;
        File.WriteAllText(_runs.PathOf("v2.json"), json.ToJsonString());

        var line = OneLine(_runs.Diff("v2.json", "fixed.advisor"));

        line.ShouldBe("v2.json is not a dotnet-advisor JSON report (The report has schemaVersion 2; this version of dotnet-advisor reads schemaVersion 1): give one written with -o NAME.json");
    }

    private static readonly Lazy<MiniJsonSchemaValidator> Schema = new(() =>
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoLayout.Root, "schemas", "diff.schema.json")));
        return new MiniJsonSchemaValidator(schema.RootElement.Clone());
    });

    private static JsonElement Finding(JsonElement diff, string ruleId) =>
        diff.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("ruleId").GetString() == ruleId).ShouldHaveSingleItem();

    /// <summary>Exit 2 and one line of ours, no stack trace: the line without its prefix.</summary>
    private static string OneLine(ProcessResult result)
    {
        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldNotContain("   at ");
        var line = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem(result.Stderr);
        line.ShouldStartWith("dotnet-advisor: ");
        return line["dotnet-advisor: ".Length..];
    }

    /// <summary>
    /// The recordings every test compares, made once: UnbufferedWriter's pathology (twice, and as a JSON report), its
    /// fixed twin, and another sample.
    /// </summary>
    public sealed class Recordings : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-diff-");
        private readonly Lazy<bool> _recorded;

        public Recordings() => _recorded = new(Record);

        public string PathOf(string name) => Path.Combine(_dir.FullName, name);

        /// <summary>`dotnet-advisor diff` in the recordings' directory, so messages name the files as given.</summary>
        internal ProcessResult Diff(params string[] arguments) => Tool(["diff", .. arguments]);

        internal ProcessResult Tool(params string[] arguments)
        {
            Privileges.RequireTracing();
            _ = _recorded.Value;
            return ProcessRunner.Run(RepoLayout.Tool, arguments, workingDirectory: _dir.FullName);
        }

        public void Dispose() => _dir.Delete(recursive: true);

        private bool Record()
        {
            Run(["-o", "patho.advisor", "-o", "patho.json"], "UnbufferedWriter");
            Run(["-o", "again.advisor"], "UnbufferedWriter");
            Run(["-o", "fixed.advisor"], "UnbufferedWriter", "--fixed");
            Run(["-o", "other.advisor"], "Scenarios", "--scenario", "reopen-append");
            return true;
        }

        private void Run(string[] outputs, string sample, params string[] arguments)
        {
            var result = ProcessRunner.Run(
                RepoLayout.Tool, ["run", "-q", .. outputs, "--", "dotnet", RepoLayout.Sample(sample), .. arguments], workingDirectory: _dir.FullName);
            result.ExitCode.ShouldBe(0, result.Stderr);
        }
    }
}
