using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;
using Advisor.Core.Runtime;
using Advisor.Reports.Json;

namespace Advisor.UnitTests.Reports;

public sealed class JsonReportWriterTests
{
    // schemas/report.schema.json marks these optional (plus exitCode, which only `run` knows); every other field is required.
    private static readonly string[] OptionalFields =
        ["thread", "state", "blockedSyscall", "blockedForMs", "stack", "fd", "path", "before", "after", "runtimeVersion", "exitCode", "runtime", "blockedOn", "hang", "wchan", "callSites",
            "requests", "pid", "process", "longestBlockedMs", "method", "endpoint", "handler", "blockedIn", "blockedMs", "recorderCost", "sampled", "observer", "callSite"];

    // One instance, so that evidence records with their lists blanked out compare equal.
    private static readonly IReadOnlyDictionary<string, long> NoErrors = new Dictionary<string, long>();

    [Fact]
    public void FieldNamesAndNestingFollowTheContract()
    {
        using var document = JsonDocument.Parse(JsonReportWriter.Serialize(SampleReport()));
        var root = document.RootElement;

        Names(root).ShouldBe(["schemaVersion", "tool", "target", "session", "summary", "threads", "findings", "runtime"]);
        root.GetProperty("schemaVersion").GetInt32().ShouldBe(1);
        Names(root.GetProperty("tool")).ShouldBe(["name", "version"]);
        Names(root.GetProperty("target")).ShouldBe(["pid", "name", "commandLine", "runtimeVersion", "isDotNet", "exitCode"]);
        Names(root.GetProperty("session")).ShouldBe(["backend", "durationSeconds", "eventsTotal", "lostEvents", "notes"]);
        Names(root.GetProperty("summary")).ShouldBe(["syscalls"]);
        Names(root.GetProperty("summary").GetProperty("syscalls")[0]).ShouldBe(["name", "count", "errors", "totalTimeMs", "bytes"]);

        var blocked = root.GetProperty("threads")[1];
        Names(blocked).ShouldBe(["tid", "name", "role", "syscalls", "state", "blockedSyscall", "blockedForMs", "stack"]);
        blocked.GetProperty("stack")[0].GetString().ShouldBe("System.Threading.Monitor.Wait");

        var finding = root.GetProperty("findings")[0];
        Names(finding).ShouldBe(
        [
            "ruleId", "ruleName", "severity", "title", "message", "evidence", "thread", "stacks",
            "estimatedSavingMs", "avoidableCalls", "savingExplanation", "advice",
        ]);
        Names(finding.GetProperty("evidence")).ShouldBe(
        [
            "syscalls", "count", "errors", "ratePerSecond", "bytes", "averageBytes", "totalTimeMs",
            "p50Us", "p99Us", "maxMs", "errorsByErrno", "fd", "path", "threads",
        ]);

        // Errno names are data, not member names: the camelCase policy must leave them alone.
        Names(finding.GetProperty("evidence").GetProperty("errorsByErrno")).ShouldBe(["EAGAIN", "EINTR"]);
        Names(finding.GetProperty("evidence").GetProperty("threads")[0]).ShouldBe(["tid", "name", "role", "count"]);
        Names(finding.GetProperty("thread")).ShouldBe(["tid", "name", "role", "count"]);
        Names(finding.GetProperty("stacks")[0]).ShouldBe(["count", "frames"]);
        finding.GetProperty("stacks")[0].GetProperty("frames")[0].GetString().ShouldBe("MyService.AuditLog.Write");
        Names(finding.GetProperty("advice")[0]).ShouldBe(["text", "before", "after"]);
    }

    [Theory]
    [InlineData(Severity.Error, "error")]
    [InlineData(Severity.Warning, "warning")]
    [InlineData(Severity.Info, "info")]
    public void SeverityIsWrittenAsAWord(Severity severity, string expected)
    {
        var report = SampleReport() with { Findings = [UnbufferedWrites() with { Severity = severity }] };

        using var document = JsonDocument.Parse(JsonReportWriter.Serialize(report));
        var written = document.RootElement.GetProperty("findings")[0].GetProperty("severity");

        written.ValueKind.ShouldBe(JsonValueKind.String);
        written.GetString().ShouldBe(expected);
    }

    [Fact]
    public void ASuppressedSeverityIsRefusedRatherThanWrittenOutsideTheSchema()
    {
        var report = SampleReport() with { Findings = [UnbufferedWrites() with { Severity = Severity.None }] };

        Should.Throw<JsonException>(() => JsonReportWriter.Serialize(report));
    }

    [Fact]
    public void AbsentOptionalFieldsAreOmittedNotWrittenAsNull()
    {
        var report = SampleReport() with
        {
            Target = new TargetInfo(4321, "MyService", "dotnet MyService.dll", RuntimeVersion: null, IsDotNet: true),
        };

        var json = JsonReportWriter.Serialize(report);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        json.ShouldNotContain("null");
        Names(root.GetProperty("target")).ShouldBe(["pid", "name", "commandLine", "isDotNet"]);
        Names(root.GetProperty("threads")[0]).ShouldBe(["tid", "name", "role", "syscalls"]);
        var info = root.GetProperty("findings")[1];
        info.TryGetProperty("thread", out _).ShouldBeFalse();
        Names(info.GetProperty("evidence")).ShouldNotContain("fd");
        Names(info.GetProperty("evidence")).ShouldNotContain("path");
        Names(info.GetProperty("advice")[0]).ShouldBe(["text"]);
    }

    [Fact]
    public void NumbersAreRoundedToThreeDecimals()
    {
        var report = SampleReport() with
        {
            Session = SampleReport().Session with { DurationSeconds = 30.000_4 },
            Summary = new ReportSummary([new SyscallSummary("pwrite64", 498_112, 0, 912.123_456_7, 7_969_792)]),
            Threads = [new ThreadReport(1, "main", "main", 3, "D (disk sleep)", "read", BlockedForMs: 1_250.500_4)],
            Findings = [UnbufferedWrites() with { EstimatedSavingMs = 0.1 + 0.2, Evidence = UnbufferedWrites().Evidence with { P50Us = -0.000_1 } }],
        };

        using var document = JsonDocument.Parse(JsonReportWriter.Serialize(report));
        var root = document.RootElement;
        var finding = root.GetProperty("findings")[0];

        // Raw text, not GetDouble(): the point is what a reader of the file sees.
        root.GetProperty("session").GetProperty("durationSeconds").GetRawText().ShouldBe("30");
        root.GetProperty("summary").GetProperty("syscalls")[0].GetProperty("totalTimeMs").GetRawText().ShouldBe("912.123");
        root.GetProperty("summary").GetProperty("syscalls")[0].GetProperty("count").GetRawText().ShouldBe("498112");
        root.GetProperty("threads")[0].GetProperty("blockedForMs").GetRawText().ShouldBe("1250.5");
        finding.GetProperty("estimatedSavingMs").GetRawText().ShouldBe("0.3");
        finding.GetProperty("evidence").GetProperty("p50Us").GetRawText().ShouldBe("0"); // not "-0"
    }

    [Fact]
    public void TextIsWrittenAsIsNotEscaped()
    {
        var json = JsonReportWriter.Serialize(SampleReport());

        json.ShouldContain("498,112 calls × 1.8 µs");
        json.ShouldContain("System.Collections.Generic.List<T>.Add");
        json.ShouldContain("Flush() && Dispose()");
        json.ShouldNotContain("\\u");
        json.ShouldContain("\n  \"tool\": {\n    \"name\""); // indented, with \n on every platform
    }

    [Fact]
    public void RoundTripGivesTheSameReport()
    {
        var original = SampleReport();
        var json = JsonReportWriter.Serialize(original);

        var back = JsonReportWriter.Deserialize(json);

        ShouldHaveSameContent(back, original);
        JsonReportWriter.Serialize(back).ShouldBe(json);
    }

    [Fact]
    public void WriteEmitsTheSerializedTextAndANewlineAndLeavesTheStreamOpen()
    {
        var report = SampleReport();
        using var stream = new MemoryStream();

        JsonReportWriter.Write(report, stream);

        stream.CanWrite.ShouldBeTrue();
        var bytes = stream.ToArray();
        bytes.Take(3).ShouldNotBe(Encoding.UTF8.Preamble.ToArray());
        Encoding.UTF8.GetString(bytes).ShouldBe(JsonReportWriter.Serialize(report) + "\n");
    }

    [Theory]
    [InlineData("findings")]
    [InlineData("count")]
    [InlineData("name")]
    public void DeserializeRejectsAReportMissingARequiredField(string field)
    {
        var json = JsonNode.Parse(JsonReportWriter.Serialize(SampleReport()))!;
        var owner = field switch
        {
            "findings" => json.AsObject(),
            "count" => json["summary"]!["syscalls"]![0]!.AsObject(),
            _ => json["tool"]!.AsObject(),
        };
        owner.Remove(field);

        var error = Should.Throw<JsonException>(() => JsonReportWriter.Deserialize(json.ToJsonString()));

        error.Message.ShouldContain(field);
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 2}", "schemaVersion")]
    [InlineData("\"none\"", "severity")]
    [InlineData("null", "\"tool\"")]
    public void DeserializeRejectsWhatTheWriterNeverWrites(string value, string where)
    {
        var json = JsonNode.Parse(JsonReportWriter.Serialize(SampleReport()))!;
        var replacement = JsonNode.Parse(value);
        switch (where)
        {
            case "schemaVersion":
                json["schemaVersion"] = 2;
                break;
            case "severity":
                json["findings"]![0]!["severity"] = replacement;
                break;
            default:
                json["tool"] = replacement;
                break;
        }

        Should.Throw<JsonException>(() => JsonReportWriter.Deserialize(json.ToJsonString()));
    }

    [Fact]
    public void AnotherSchemaVersionIsNamedEvenWhenItsFieldsDiffer()
    {
        var json = JsonNode.Parse(JsonReportWriter.Serialize(SampleReport()))!;
        json["schemaVersion"] = 2;
        json.AsObject().Remove("tool");

        var error = Should.Throw<JsonException>(() => JsonReportWriter.Deserialize(json.ToJsonString()));

        error.Message.ShouldBe("The report has schemaVersion 2; this version of dotnet-advisor reads schemaVersion 1.");
    }

    [Fact]
    public void DeserializeRejectsJsonNull() =>
        Should.Throw<JsonException>(() => JsonReportWriter.Deserialize("null"));

    [Fact]
    public void OutputValidatesAgainstThePublishedSchema()
    {
        var validator = SchemaValidator();
        var minimal = SampleReport() with
        {
            Target = new TargetInfo(1, "app", "app", RuntimeVersion: null, IsDotNet: false),
            Session = new SessionInfo("perf", 0, 0, 0, []),
            Summary = new ReportSummary([]),
            Threads = [],
            Findings = [],
        };

        var hang = SampleReport() with
        {
            Hang = new HangReport(
                "deadlock",
                "2 threads wait on each other",
                "restart, then fix the lock order",
                1500,
                new HangRequests(2, 1, 4_000, [
                    new HangRequest(7, "GET", "/orders/17", "HTTP: GET /orders/{id:int}", "lambda_method1", "Task.Wait", 4_000),
                    new HangRequest(8, null, null, null, null, null, null),
                ])),
            Threads = [new ThreadReport(7, "fetcher", "user-named", 0, "blocked (S)", "recvfrom", 42_000, ["MyApp.Fetch"], "fd 23 tcp 127.0.0.1:41000 → 127.0.0.1:9000", "wait_woken")],
        };

        var observed = SampleReport() with
        {
            Session = SampleReport().Session with { Observer = new ObserverCalls([new SyscallSummary("sendto", 751, 0, 18.104, 4_355_800)]) },
        };

        foreach (var report in new[] { SampleReport(), minimal, hang, observed })
        {
            using var document = JsonDocument.Parse(JsonReportWriter.Serialize(report));
            validator.Validate(document.RootElement).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("missing required", "$.findings[0]: missing required property \"ruleId\"")]
    [InlineData("wrong type", "$.summary.syscalls[0].count: expected integer, found String")]
    [InlineData("unknown property", "$.threads[0].cpu: unknown property")]
    [InlineData("renamed property", "$.summary.syscalls[0].totalTime: unknown property")]
    [InlineData("not in enum", "$.findings[1].severity: \"fatal\" is not one of")]
    [InlineData("wrong const", "$.schemaVersion: expected 1, found 2")]
    [InlineData("below minimum", "$.session.lostEvents: -1 is below the minimum 0")]
    [InlineData("fraction for integer", "$.target.pid: expected integer, found Number")]
    public void TheSchemaRejectsABrokenReport(string breakage, string expectedError)
    {
        var json = JsonNode.Parse(JsonReportWriter.Serialize(SampleReport()))!;
        switch (breakage)
        {
            case "missing required":
                json["findings"]![0]!.AsObject().Remove("ruleId");
                break;
            case "wrong type":
                json["summary"]!["syscalls"]![0]!["count"] = "many";
                break;
            case "unknown property":
                json["threads"]![0]!["cpu"] = 3;
                break;
            case "renamed property":
                var row = json["summary"]!["syscalls"]![0]!.AsObject();
                row["totalTime"] = row["totalTimeMs"]!.DeepClone();
                row.Remove("totalTimeMs");
                break;
            case "not in enum":
                json["findings"]![1]!["severity"] = "fatal";
                break;
            case "wrong const":
                json["schemaVersion"] = 2;
                break;
            case "below minimum":
                json["session"]!["lostEvents"] = -1;
                break;
            default:
                json["target"]!["pid"] = 4321.5;
                break;
        }

        using var document = JsonDocument.Parse(json.ToJsonString());
        var errors = SchemaValidator().Validate(document.RootElement);

        errors.ShouldContain(e => e.StartsWith(expectedError, StringComparison.Ordinal), string.Join("\n", errors));
    }

    [Fact]
    public void TheObserversCallsAreWrittenBesideTheSessionAndReadBack()
    {
        var report = SampleReport() with
        {
            Session = SampleReport().Session with { Observer = new ObserverCalls([new SyscallSummary("sendto", 751, 0, 18.104, 4_355_800)]) },
        };

        var json = JsonReportWriter.Serialize(report);

        using var document = JsonDocument.Parse(json);
        var sends = document.RootElement.GetProperty("session").GetProperty("observer").GetProperty("syscalls")[0];
        Names(sends).ShouldBe(["name", "count", "errors", "totalTimeMs", "bytes"]);
        JsonReportWriter.Deserialize(json).Session.Observer.ShouldNotBeNull().Syscalls.ShouldBe(report.Session.Observer!.Syscalls);
    }

    [Fact]
    public void TheSchemaLetsOnlyTheOptionalFieldsBeAbsent()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("schemas", "report.schema.json")));
        var objects = schema.RootElement.GetProperty("$defs").EnumerateObject()
            .Select(d => (Name: d.Name, Definition: d.Value))
            .Append((Name: "(root)", Definition: schema.RootElement))
            .Where(d => d.Definition.TryGetProperty("properties", out _));

        var optional = new List<string>();
        foreach (var (name, definition) in objects)
        {
            definition.GetProperty("additionalProperties").ValueKind.ShouldBe(JsonValueKind.False, name);
            var required = definition.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToList();
            var properties = Names(definition.GetProperty("properties"));
            required.ShouldBeSubsetOf(properties, name);
            optional.AddRange(properties.Except(required));
            foreach (var property in definition.GetProperty("properties").EnumerateObject())
            {
                property.Value.TryGetProperty("description", out _).ShouldBeTrue($"{name}.{property.Name} has no description");
            }
        }

        // "thread" is optional in a finding only; a thread report's "tid" etc. are required.
        optional.Distinct().Order(StringComparer.Ordinal).ShouldBe(OptionalFields.Order(StringComparer.Ordinal));
    }

    private static AdvisorReport SampleReport() => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0.1.0"),
        new TargetInfo(4321, "MyService", "dotnet MyService.dll --urls http://+:8080", "10.0.12", IsDotNet: true, ExitCode: 0),
        new SessionInfo("perf", 30, 1_412_880, 0, ["kernel stacks unavailable: perf_event_paranoid is 2"]),
        new ReportSummary(
        [
            new SyscallSummary("pwrite64", 498_112, 0, 912.123, 7_969_792),
            new SyscallSummary("futex", 401_337, 12_004, 45.5, 0),
        ]),
        [
            new ThreadReport(4330, ".NET TP Worker", "threadpool-worker", 498_112),
            new ThreadReport(4321, "MyService", "main", 12, "S (sleeping)", "futex", 1_250.5, ["System.Threading.Monitor.Wait", "MyService.Program.Main"]),
        ],
        [UnbufferedWrites(), SpinningFutex()],
        new RuntimeReport(
            new Dictionary<string, long>(StringComparer.Ordinal) { ["contentionStart"] = 321, ["threadPoolEnqueue"] = 80 },
            new ContentionReport(321, 12.5, [new ThreadContention(4330, 300, 12.0)], [new StackSample(321, ["MyService.Cache.Get", "MyService.Handler.Run"])]),
            new ThreadPoolSummary(8, 4, 3, 8, 4, 80, 80, 0, 0),
            new GcSummary(3, 2, 1, 0),
            1));

    private static Finding UnbufferedWrites()
    {
        var worker = new ThreadShare(4330, ".NET TP Worker", "threadpool-worker", 498_112);
        var evidence = new Evidence
        {
            Syscalls = ["pwrite64"],
            Count = 498_112,
            Errors = 4,
            RatePerSecond = 16_603.733,
            Bytes = 7_969_792,
            AverageBytes = 16,
            TotalTimeMs = 912.123,
            P50Us = 1.5,
            P99Us = 4.25,
            MaxMs = 0.875,
            ErrorsByErrno = new Dictionary<string, long>(StringComparer.Ordinal) { ["EAGAIN"] = 3, ["EINTR"] = 1 },
            Fd = 17,
            Path = "/var/log/myservice/app.log",
            Threads = [worker],
        };
        return new Finding(
            "ADV002",
            "unbuffered-writes",
            Severity.Warning,
            "Unbuffered writes",
            "pwrite64 ×498,112 (16 B avg) on /var/log/myservice/app.log",
            evidence,
            worker,
            [
                new StackSample(498_000, ["MyService.AuditLog.Write", "System.IO.FileStream.Write", "System.IO.RandomAccess.WriteAtOffset"]),
                new StackSample(112, ["System.Collections.Generic.List<T>.Add", "MyService.AuditLog.Flush"]),
            ],
            896.6,
            498_100,
            "498,112 calls × 1.8 µs",
            [
                new Advice(
                    "Buffer the stream and flush at record boundaries.",
                    "new FileStream(path, FileMode.Append)",
                    "new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024)"),
                new Advice("Call Flush() && Dispose() once per batch, not per record."),
            ]);
    }

    private static Finding SpinningFutex() => new(
        "ADV010",
        "futex-churn",
        Severity.Info,
        "Futex churn",
        "futex ×401,337, 3% of them EAGAIN",
        new Evidence { Syscalls = ["futex"], Count = 401_337, RatePerSecond = 13_377.9, TotalTimeMs = 45.5, P50Us = 0.1, P99Us = 2, MaxMs = 1.25 },
        null,
        [],
        0,
        0,
        "no calls avoidable",
        [new Advice("Nothing to do unless it grows.")]);

    private static void ShouldHaveSameContent(AdvisorReport actual, AdvisorReport expected)
    {
        // Records compare lists by reference, so each list is compared on its own and blanked for the rest.
        (actual with { Threads = [], Findings = [], Session = null!, Summary = null!, Runtime = null })
            .ShouldBe(expected with { Threads = [], Findings = [], Session = null!, Summary = null!, Runtime = null });
        (actual.Runtime is null).ShouldBe(expected.Runtime is null);
        if (actual.Runtime is { } runtime && expected.Runtime is { } wanted)
        {
            runtime.Events.OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(wanted.Events.OrderBy(p => p.Key, StringComparer.Ordinal));
            runtime.Contention.Threads.ShouldBe(wanted.Contention.Threads);
            runtime.Contention.Stacks.Select(st => string.Join(" → ", st.Frames)).ShouldBe(wanted.Contention.Stacks.Select(st => string.Join(" → ", st.Frames)));
            (runtime.Contention with { Threads = [], Stacks = [] }).ShouldBe(wanted.Contention with { Threads = [], Stacks = [] });
            (runtime with { Events = null!, Contention = null! }).ShouldBe(wanted with { Events = null!, Contention = null! });
        }

        (actual.Session with { Notes = [] }).ShouldBe(expected.Session with { Notes = [] });
        actual.Session.Notes.ShouldBe(expected.Session.Notes);
        actual.Summary.Syscalls.ShouldBe(expected.Summary.Syscalls);

        actual.Threads.Count.ShouldBe(expected.Threads.Count);
        foreach (var (a, e) in actual.Threads.Zip(expected.Threads))
        {
            (a with { Stack = null }).ShouldBe(e with { Stack = null });
            (a.Stack ?? []).ShouldBe(e.Stack ?? []);
            (a.Stack is null).ShouldBe(e.Stack is null);
        }

        actual.Findings.Count.ShouldBe(expected.Findings.Count);
        foreach (var (a, e) in actual.Findings.Zip(expected.Findings))
        {
            (a with { Evidence = null!, Stacks = [], Advice = [] }).ShouldBe(e with { Evidence = null!, Stacks = [], Advice = [] });
            a.Advice.ShouldBe(e.Advice);
            a.Stacks.Select(s => s.Count).ShouldBe(e.Stacks.Select(s => s.Count));
            a.Stacks.Select(s => string.Join(" → ", s.Frames)).ShouldBe(e.Stacks.Select(s => string.Join(" → ", s.Frames)));

            var blank = (Evidence x) => x with { Syscalls = [], ErrorsByErrno = NoErrors, Threads = [] };
            blank(a.Evidence).ShouldBe(blank(e.Evidence));
            a.Evidence.Syscalls.ShouldBe(e.Evidence.Syscalls);
            a.Evidence.ErrorsByErrno.OrderBy(p => p.Key, StringComparer.Ordinal)
                .ShouldBe(e.Evidence.ErrorsByErrno.OrderBy(p => p.Key, StringComparer.Ordinal));
            a.Evidence.Threads.ShouldBe(e.Evidence.Threads);
        }
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();

    private static MiniJsonSchemaValidator SchemaValidator()
    {
        // Clone: the validator outlives the document the schema was parsed into.
        using var schema = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("schemas", "report.schema.json")));
        return new MiniJsonSchemaValidator(schema.RootElement.Clone());
    }
}
