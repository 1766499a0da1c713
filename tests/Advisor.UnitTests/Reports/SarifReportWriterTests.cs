using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Advisor.Cli.Output;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Reports.Sarif;

namespace Advisor.UnitTests.Reports;

/// <summary>SARIF 2.1.0: rules with help, results pointing at them, logical locations only, stable fingerprints.</summary>
public sealed class SarifReportWriterTests
{
    private const string Fingerprint = "advisorFingerprint/v1";

    private static readonly RuleCatalog BuiltIn = RuleCatalog.BuiltIn();

    [Fact]
    public void The_log_is_SARIF_2_1_0_with_one_successful_run_of_dotnet_advisor()
    {
        using var document = Parse(SampleReport());
        var root = document.RootElement;

        root.GetProperty("$schema").GetString().ShouldBe("https://json.schemastore.org/sarif-2.1.0.json");
        root.GetProperty("version").GetString().ShouldBe("2.1.0");
        root.GetProperty("runs").GetArrayLength().ShouldBe(1);
        var run = Run(document);
        var driver = run.GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().ShouldBe("dotnet-advisor");
        driver.GetProperty("version").GetString().ShouldBe("0.1.0");
        driver.TryGetProperty("informationUri", out _).ShouldBeFalse();
        run.GetProperty("invocations").GetArrayLength().ShouldBe(1);
        run.GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void The_driver_describes_each_rule_with_a_finding_from_the_catalogue()
    {
        using var document = Parse(SampleReport());
        var rules = Run(document).GetProperty("tool").GetProperty("driver").GetProperty("rules");

        rules.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe(["ADV002", "ADV010"]);
        var rule = rules[0];
        rule.GetProperty("name").GetString().ShouldBe("unbuffered-writes");
        rule.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe("Unbuffered small writes");
        rule.GetProperty("fullDescription").GetProperty("text").GetString()!.ShouldStartWith("Long runs of small writes to one file, pipe or socket");
        rule.GetProperty("defaultConfiguration").GetProperty("level").GetString().ShouldBe("warning");
        rule.GetProperty("properties").GetProperty("category").GetString().ShouldBe("io");
    }

    [Fact]
    public void A_rules_help_is_its_advice_with_the_fixed_code_as_a_csharp_block()
    {
        using var document = Parse(SampleReport());
        var help = Run(document).GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("help");
        var text = help.GetProperty("text").GetString()!;
        var markdown = help.GetProperty("markdown").GetString()!;

        // The general advice first; advice for particular paths or frames says when it applies.
        text.ShouldStartWith("Buffer the stream: give FileStream a real buffer (64 KiB)");
        text.ShouldContain("When the path matches `^(pipe:|/dev/pts/|/dev/tty|/dev/console)` and the fd is a pipe or a terminal: This is console output");
        text.ShouldNotContain("```");
        markdown.ShouldStartWith("Buffer the stream:");
        markdown.ShouldContain(
            "```csharp\nusing var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);\nforeach (var record in records)\n    fs.Write(record);\nfs.Flush();\n```");
        markdown.ShouldContain("**When a frame matches `Serilog\\.Sinks\\.File`:** Serilog's file sink");
        markdown.ShouldNotContain("bufferSize: 0"); // the "before" code is not the fix
    }

    [Fact]
    public void Results_follow_the_report_order_and_their_rule_index_names_their_rule()
    {
        var report = SampleReport() with { Findings = [YieldSpin(), UnbufferedWrites()] };

        using var document = Parse(report);
        var run = Run(document);
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        var results = run.GetProperty("results");

        results.EnumerateArray().Select(r => r.GetProperty("ruleId").GetString()).ShouldBe(["ADV010", "ADV002"]);
        foreach (var result in results.EnumerateArray())
        {
            var rule = rules[result.GetProperty("ruleIndex").GetInt32()];
            rule.GetProperty("id").GetString().ShouldBe(result.GetProperty("ruleId").GetString());
        }

        results[1].GetProperty("message").GetProperty("text").GetString().ShouldBe(UnbufferedWrites().Message);
    }

    [Theory]
    [InlineData(Severity.Error, "error")]
    [InlineData(Severity.Warning, "warning")]
    [InlineData(Severity.Info, "note")]
    public void Severities_become_SARIF_levels(Severity severity, string level)
    {
        var report = SampleReport() with { Findings = [UnbufferedWrites() with { Severity = severity }] };
        var catalog = new RuleCatalog([BuiltIn.Find("ADV002")! with { Severity = severity }]);

        using var document = Parse(report, catalog);
        var run = Run(document);

        run.GetProperty("results")[0].GetProperty("level").GetString().ShouldBe(level);
        run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0].GetProperty("defaultConfiguration").GetProperty("level").GetString().ShouldBe(level);
    }

    [Fact]
    public void A_suppressed_finding_is_refused_rather_than_reported()
    {
        var report = SampleReport() with { Findings = [UnbufferedWrites() with { Severity = Severity.None }] };

        Should.Throw<ArgumentException>(() => SarifReportWriter.Serialize(report, BuiltIn));
    }

    [Fact]
    public void The_location_is_the_first_application_frame_and_no_source_position_is_invented()
    {
        var json = SarifReportWriter.Serialize(SampleReport(), BuiltIn);
        using var document = JsonDocument.Parse(json);
        var locations = Run(document).GetProperty("results")[0].GetProperty("locations");

        locations.GetArrayLength().ShouldBe(1);
        Names(locations[0]).ShouldBe(["logicalLocations"]);
        var logical = locations[0].GetProperty("logicalLocations")[0];
        logical.GetProperty("fullyQualifiedName").GetString().ShouldBe("MyService.AuditLog.Write");
        logical.GetProperty("kind").GetString().ShouldBe("function");
        json.ShouldNotContain("physicalLocation");
        json.ShouldNotContain("artifactLocation");
        json.ShouldNotContain("region");
    }

    [Fact]
    public void Without_an_application_frame_the_location_is_the_path_and_without_a_path_there_is_none()
    {
        var nativeOnly = UnbufferedWrites() with { Stacks = [new StackSample(10, ["libc.so.6!__libc_pwrite64", "libfoo.so+0x12", "0x7f3a00001000", "System.IO.RandomAccess.WriteAtOffset", "Microsoft.Extensions.Logging.Logger.Log"])] };
        var nothing = YieldSpin() with { Stacks = [] };
        var report = SampleReport() with { Findings = [nativeOnly, nothing] };

        using var document = Parse(report);
        var results = Run(document).GetProperty("results");

        var logical = results[0].GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        logical.GetProperty("fullyQualifiedName").GetString().ShouldBe("/var/log/myservice/app.log");
        logical.GetProperty("kind").GetString().ShouldBe("resource");
        results[1].TryGetProperty("locations", out _).ShouldBeFalse();
    }

    [Fact]
    public void Fingerprints_are_stable_across_serialisations_and_runs_and_differ_between_findings()
    {
        var first = FingerprintsOf(SampleReport());
        var again = FingerprintsOf(SampleReport());

        // The same call sites in the next run: other counts, timings, messages and fd.
        var nextRun = SampleReport() with
        {
            Findings =
            [
                UnbufferedWrites() with { Message = "pwrite64 ×12 (16 B avg)", Evidence = UnbufferedWrites().Evidence with { Count = 12, TotalTimeMs = 0.5, Fd = 40 } },
                YieldSpin() with { EstimatedSavingMs = 3, Stacks = [new StackSample(9, YieldSpin().Stacks[0].Frames)] },
            ],
        };

        first.ShouldBe(again);
        first.ShouldAllBe(f => f.Length == 64 && f.All(c => char.IsAsciiHexDigitLower(c)));
        first.Distinct().Count().ShouldBe(2);
        FingerprintsOf(nextRun).ShouldBe(first);
    }

    [Fact]
    public void Fingerprints_tell_apart_another_path_another_frame_and_two_findings_alike()
    {
        var original = FingerprintsOf(SampleReport() with { Findings = [UnbufferedWrites()] }).Single();
        var otherPath = UnbufferedWrites() with { Evidence = UnbufferedWrites().Evidence with { Path = "/var/log/myservice/audit.log" } };
        var otherFrame = UnbufferedWrites() with { Stacks = [new StackSample(1, ["System.IO.FileStream.Write", "MyService.Exporter.Flush"])] };

        FingerprintsOf(SampleReport() with { Findings = [otherPath] }).Single().ShouldNotBe(original);
        FingerprintsOf(SampleReport() with { Findings = [otherFrame] }).Single().ShouldNotBe(original);
        var twins = FingerprintsOf(SampleReport() with { Findings = [UnbufferedWrites(), UnbufferedWrites()] });
        twins[0].ShouldBe(original);
        twins[1].ShouldNotBe(original);
    }

    [Theory]
    [InlineData("tcp 127.0.0.1:41234 → 127.0.0.1:5000", "tcp 127.0.0.1:50112 → 127.0.0.1:5000", true)]
    [InlineData("tcp 127.0.0.1:41234 → 127.0.0.1:5000", "tcp 127.0.0.1:41234 → 127.0.0.1:5001", false)]
    [InlineData("/proc/4321/stat", "/proc/987/stat", true)]
    [InlineData("socket:[81234]", "socket:[81235]", true)]
    [InlineData("/data/a.db", "/data/b.db", false)]
    public void Fingerprints_ignore_what_changes_between_runs_of_the_same_program(string path, string nextRunPath, bool same)
    {
        Finding At(string p) => YieldSpin() with { Evidence = YieldSpin().Evidence with { Path = p } };

        var before = FingerprintsOf(SampleReport() with { Findings = [At(path)] }).Single();
        var after = FingerprintsOf(SampleReport() with { Findings = [At(nextRunPath)] }).Single();

        (before == after).ShouldBe(same);
    }

    [Fact]
    public void A_results_properties_carry_the_saving_and_the_evidence()
    {
        using var document = Parse(SampleReport());
        var results = Run(document).GetProperty("results");
        var properties = results[0].GetProperty("properties");

        properties.GetProperty("estimatedSavingMs").GetDouble().ShouldBe(896.6);
        properties.GetProperty("avoidableCalls").GetInt64().ShouldBe(498_100);
        properties.GetProperty("savingExplanation").GetString().ShouldBe("498,112 calls × 1.8 µs");
        var evidence = properties.GetProperty("evidence");
        Names(evidence).ShouldBe(["count", "ratePerSecond", "totalTimeMs", "path", "fd"]);
        evidence.GetProperty("count").GetInt64().ShouldBe(498_112);
        evidence.GetProperty("ratePerSecond").GetRawText().ShouldBe("16603.733");
        evidence.GetProperty("totalTimeMs").GetDouble().ShouldBe(912.123);
        evidence.GetProperty("path").GetString().ShouldBe("/var/log/myservice/app.log");
        evidence.GetProperty("fd").GetInt32().ShouldBe(17);
        Names(results[1].GetProperty("properties").GetProperty("evidence")).ShouldBe(["count", "ratePerSecond", "totalTimeMs"]);
    }

    [Fact]
    public void The_runs_properties_name_the_target_and_session_and_a_hangs_verdict_but_not_the_command_line()
    {
        var hang = SampleReport() with { Hang = new HangReport("deadlock", "2 threads wait on each other", "Restart, then fix the lock order.", 1500) };

        using var recording = Parse(SampleReport());
        using var triage = Parse(hang);
        var properties = Run(recording).GetProperty("properties");

        Names(properties).ShouldBe(["target", "session"]);
        properties.GetProperty("target").GetProperty("pid").GetInt32().ShouldBe(4321);
        properties.GetProperty("target").GetProperty("name").GetString().ShouldBe("MyService");
        Names(properties.GetProperty("session")).ShouldBe(["backend", "durationSeconds", "eventsTotal", "lostEvents"]);
        properties.GetProperty("session").GetProperty("eventsTotal").GetInt64().ShouldBe(1_412_880);
        Run(triage).GetProperty("properties").GetProperty("hang").GetProperty("verdict").GetString().ShouldBe("deadlock");
        SarifReportWriter.Serialize(SampleReport(), BuiltIn).ShouldNotContain("--urls");
    }

    [Fact]
    public void A_rule_missing_from_the_catalogue_is_described_from_its_finding()
    {
        var custom = UnbufferedWrites() with { RuleId = "ACME001", RuleName = "acme-audit", Title = "Audit writes" };

        using var document = Parse(SampleReport() with { Findings = [custom] }, new RuleCatalog([]));
        var run = Run(document);
        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules")[0];

        rule.GetProperty("id").GetString().ShouldBe("ACME001");
        rule.GetProperty("name").GetString().ShouldBe("acme-audit");
        rule.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe("Audit writes");
        rule.GetProperty("help").GetProperty("markdown").GetString()!.ShouldContain("```csharp\nnew FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024)\n```");
        run.GetProperty("results")[0].GetProperty("ruleIndex").GetInt32().ShouldBe(0);
    }

    [Fact]
    public void Output_validates_against_the_SARIF_subset_schema()
    {
        var validator = SchemaValidator();
        var empty = SampleReport() with { Findings = [], Threads = [], Summary = new ReportSummary([]) };
        var hang = SampleReport() with { Hang = new HangReport("deadlock", "2 threads wait on each other", "Restart.", 1500) };

        foreach (var report in new[] { SampleReport(), empty, hang })
        {
            using var document = Parse(report);
            validator.Validate(document.RootElement).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("info level", "$.runs[0].results[1].level: \"info\" is not one of")]
    [InlineData("no message", "$.runs[0].results[0]: missing required property \"message\"")]
    [InlineData("physical location", "$.runs[0].results[0].locations[0].physicalLocation: unknown property")]
    [InlineData("misspelt member", "$.runs[0].tool.driver.rules[0].helpText: unknown property")]
    [InlineData("no rule id", "$.runs[0].tool.driver.rules[0]: missing required property \"id\"")]
    public void The_subset_schema_rejects_a_broken_log(string breakage, string expectedError)
    {
        var json = JsonNode.Parse(SarifReportWriter.Serialize(SampleReport(), BuiltIn))!;
        var run = json["runs"]![0]!;
        switch (breakage)
        {
            case "info level":
                run["results"]![1]!["level"] = "info";
                break;
            case "no message":
                run["results"]![0]!.AsObject().Remove("message");
                break;
            case "physical location":
                run["results"]![0]!["locations"]![0]!["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = "AuditLog.cs" } };
                break;
            case "misspelt member":
                run["tool"]!["driver"]!["rules"]![0]!["helpText"] = "x";
                break;
            default:
                run["tool"]!["driver"]!["rules"]![0]!.AsObject().Remove("id");
                break;
        }

        using var document = JsonDocument.Parse(json.ToJsonString());
        var errors = SchemaValidator().Validate(document.RootElement);

        errors.ShouldContain(e => e.StartsWith(expectedError, StringComparison.Ordinal), string.Join("\n", errors));
    }

    [Fact]
    public void Write_emits_the_serialized_text_and_a_newline_and_leaves_the_stream_open()
    {
        using var stream = new MemoryStream();

        SarifReportWriter.Write(SampleReport(), BuiltIn, stream);

        stream.CanWrite.ShouldBeTrue();
        var bytes = stream.ToArray();
        bytes.Take(3).ShouldNotBe(Encoding.UTF8.Preamble.ToArray());
        Encoding.UTF8.GetString(bytes).ShouldBe(SarifReportWriter.Serialize(SampleReport(), BuiltIn) + "\n");
    }

    [Fact]
    public void Minus_o_writes_a_private_SARIF_file_with_the_catalogue_it_is_given()
    {
        var directory = Directory.CreateTempSubdirectory("advisor-sarif-");
        try
        {
            var path = Path.Combine(directory.FullName, "report.sarif");
            var catalog = new RuleCatalog([BuiltIn.Find("ADV002")! with { Severity = Severity.Error }, BuiltIn.Find("ADV010")!]);

            ReportFiles.Write(new ReportContext(SampleReport(), catalog), path);

            File.ReadAllText(path).ShouldBe(SarifReportWriter.Serialize(SampleReport(), catalog) + "\n");
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            directory.GetFiles().Select(f => f.Name).ShouldBe(["report.sarif"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static JsonDocument Parse(AdvisorReport report, RuleCatalog? catalog = null) =>
        JsonDocument.Parse(SarifReportWriter.Serialize(report, catalog ?? BuiltIn));

    private static JsonElement Run(JsonDocument document) => document.RootElement.GetProperty("runs")[0];

    private static List<string> FingerprintsOf(AdvisorReport report)
    {
        using var document = Parse(report);
        return Run(document).GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("partialFingerprints").GetProperty(Fingerprint).GetString()!)
            .ToList();
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static MiniJsonSchemaValidator SchemaValidator()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("tests", "Advisor.UnitTests", "Reports", "sarif-2.1.0-subset.schema.json")));
        return new MiniJsonSchemaValidator(schema.RootElement.Clone());
    }

    private static AdvisorReport SampleReport() => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0.1.0"),
        new TargetInfo(4321, "MyService", "dotnet MyService.dll --urls http://+:8080", "10.0.12", IsDotNet: true),
        new SessionInfo("perf", 30, 1_412_880, 0, []),
        new ReportSummary([new SyscallSummary("pwrite64", 498_112, 0, 912.123, 7_969_792)]),
        [new ThreadReport(4330, ".NET TP Worker", "threadpool-worker", 498_112)],
        [UnbufferedWrites(), YieldSpin()]);

    private static Finding UnbufferedWrites()
    {
        var worker = new ThreadShare(4330, ".NET TP Worker", "threadpool-worker", 498_112);
        return new Finding(
            "ADV002",
            "unbuffered-writes",
            Severity.Warning,
            "Unbuffered small writes",
            "pwrite64 ×498,112 (16 B avg) on /var/log/myservice/app.log from MyService.AuditLog.Write",
            new Evidence
            {
                Syscalls = ["pwrite64"],
                Count = 498_112,
                RatePerSecond = 16_603.733_3,
                Bytes = 7_969_792,
                AverageBytes = 16,
                TotalTimeMs = 912.123,
                P50Us = 1.5,
                P99Us = 4.25,
                MaxMs = 0.875,
                Fd = 17,
                Path = "/var/log/myservice/app.log",
                Threads = [worker],
            },
            worker,
            [
                new StackSample(498_000, ["libc.so.6!__libc_pwrite64", "0x7f3a00001000", "System.IO.RandomAccess.WriteAtOffset", "System.IO.FileStream.Write", "MyService.AuditLog.Write", "MyService.Program.Main"]),
                new StackSample(112, ["System.IO.FileStream.Write", "MyService.AuditLog.Flush"]),
            ],
            896.6,
            498_100,
            "498,112 calls × 1.8 µs",
            [new Advice("Buffer the stream.", "new FileStream(path, FileMode.Append)", "new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024)")]);
    }

    private static Finding YieldSpin() => new(
        "ADV010",
        "yield-spin",
        Severity.Warning,
        "Spinning on sched_yield",
        "sched_yield ×401,337 from MyService.Queue.Take",
        new Evidence { Syscalls = ["sched_yield"], Count = 401_337, RatePerSecond = 13_377.9, TotalTimeMs = 45.5, P50Us = 0.1, P99Us = 2, MaxMs = 1.25 },
        null,
        [new StackSample(401_337, ["System.Threading.Thread.Yield", "MyService.Queue.Take"])],
        40,
        400_000,
        "400,000 calls × 0.1 µs",
        [new Advice("Wait on a signal instead of spinning.")]);
}
