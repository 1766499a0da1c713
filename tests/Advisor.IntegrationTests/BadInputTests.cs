using System.Diagnostics;
using System.IO.Compression;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// The bad input matrix (README "Exit codes"): whatever a user gets wrong, the answer is one stderr line starting
/// "dotnet-advisor: " that names the problem and the fix, the documented exit code, no stack trace, and no
/// half-written report where one was asked for with -o.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private const string Output = "out.json";
    private const string ParanoidFile = "/proc/sys/kernel/perf_event_paranoid";
    private const string ValidLog = "7 10:00:00.000000 getpid() = 7 <0.000002>\n7 10:00:00.000100 getppid() = 1 <0.000002>\n";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-bad-");

    // The cases run as nobody write (or must not write) their report here.
    public BadInputTests() => Nobody.Share(_dir);

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>The tool in our directory, so relative file names in its messages are as the user typed them.</summary>
    private ProcessResult Advisor(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.Run(RepoLayout.Tool, arguments, workingDirectory: _dir.FullName, environment: environment);

    /// <summary>The tool as nobody; <paramref name="readTracefs"/> lets it read tracefs, so perf_event_open itself is what refuses.</summary>
    private ProcessResult AsNobody(IEnumerable<string> arguments, bool readTracefs = false) =>
        readTracefs ? Nobody.Advisor(_dir, arguments, "dac_read_search") : Nobody.Advisor(_dir, arguments);

    /// <summary>The contract of every case: exactly one line, ours, no stack trace, no report left behind.</summary>
    private string OneLine(ProcessResult result, int exitCode)
    {
        result.ExitCode.ShouldBe(exitCode, result.Stderr);
        result.Stderr.ShouldNotContain("   at ");
        var line = result.Stderr.TrimEnd('\n').Split('\n').ShouldHaveSingleItem(result.Stderr);
        line.ShouldStartWith("dotnet-advisor: ");
        File.Exists(PathOf(Output)).ShouldBeFalse("no report is written for a failed command");
        return line["dotnet-advisor: ".Length..];
    }

    private static Process Sleeper()
    {
        var sleep = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        return sleep;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
    }

    [SkippableFact]
    public void A_process_that_is_not_dotnet_is_profiled_from_its_syscalls_with_a_note_saying_so()
    {
        Privileges.RequireTracing();
        var sleep = Sleeper();
        try
        {
            var result = Advisor(["profile", "-p", sleep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "2s", "--format", "json"]);

            result.ExitCode.ShouldBe(0, result.Stderr);
            result.Stderr.ShouldNotContain("   at ");
            var report = ReportJson.Parse(result.Stdout);
            report.Root.GetProperty("target").GetProperty("isDotNet").GetBoolean().ShouldBeFalse();
            report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!)
                .ShouldContain(n => n.Contains("did not load the .NET runtime", StringComparison.Ordinal));
        }
        finally
        {
            Stop(sleep);
        }
    }

    [SkippableFact]
    public void Another_users_process_profiled_without_rights_is_exit_4_naming_the_remedy()
    {
        var sleep = Sleeper(); // root's
        try
        {
            var result = AsNobody(["profile", "-p", sleep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duration", "1s", "-o", PathOf(Output)]);

            var line = OneLine(result, 4);
            line.ShouldContain("the target's user");
            line.ShouldContain("root");
        }
        finally
        {
            Stop(sleep);
        }
    }

    /// <summary>
    /// Nobody may read tracefs but has no CAP_PERFMON: at any perf_event_paranoid above -1 the kernel refuses it the
    /// syscall tracepoints — the refusal a user meets, met without touching the machine's setting.
    /// </summary>
    [SkippableFact]
    public void Without_perf_rights_perf_is_exit_4_naming_the_sysctl_and_auto_falls_back_to_another_backend()
    {
        Prerequisite.Require(
            int.Parse(File.ReadAllText(ParanoidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture) > -1,
            "kernel.perf_event_paranoid is -1 here: every user may open the syscall tracepoints, so nothing refuses");
        string[] sample = ["--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--path", PathOf("storm.dat")];

        var refused = AsNobody(["run", "--backend", "perf", "-o", PathOf(Output), .. sample, "--count", "1000"], readTracefs: true);
        var fallback = AsNobody(["run", "--format", "json", .. sample, "--count", "200000"], readTracefs: true);

        OneLine(refused, 4).ShouldContain("perf_event_paranoid");
        fallback.ExitCode.ShouldBe(0, fallback.Stderr);
        var report = ReportJson.Parse(fallback.Stdout);
        var session = report.Root.GetProperty("session");
        session.GetProperty("backend").GetString().ShouldNotBe("perf");
        session.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ShouldContain(n => n.Contains("perf_event_paranoid", StringComparison.Ordinal));
        // bpf, auto's first choice, was passed over first, and said so.
        session.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ShouldContain(n => n.StartsWith("the bpf backend could not be used", StringComparison.Ordinal));
        report.Findings("ADV002").ShouldNotBeEmpty();
    }

    [SkippableFact]
    public void Bpf_asked_for_without_the_rights_is_exit_4_naming_the_capabilities()
    {
        var refused = AsNobody(["run", "--backend", "bpf", "-o", PathOf(Output), "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "1000", "--path", PathOf("storm.dat")]);

        var line = OneLine(refused, 4);
        line.ShouldContain("CAP_BPF");
        line.ShouldContain("--backend perf");
    }

    [Fact]
    public void An_empty_recording_is_one_line_and_exit_2()
    {
        File.WriteAllBytes(PathOf("empty.advisor"), []);

        OneLine(Advisor(["report", "empty.advisor", "-o", Output]), 2)
            .ShouldBe("empty.advisor: the file is empty: it is neither a dotnet-advisor recording nor an strace log");
    }

    [SkippableFact]
    public void A_recording_with_bytes_changed_is_refused_even_where_it_still_decompresses()
    {
        Privileges.RequireTracing();
        var recorded = Advisor(["run", "-q", "-o", "run.advisor", "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "2000", "--path", PathOf("data.dat")]);
        recorded.ExitCode.ShouldBe(0, recorded.Stderr);
        var bytes = File.ReadAllBytes(PathOf("run.advisor"));

        // The middle of the compressed events, and the gzip trailer's checksum alone: the data then decompresses
        // into well-formed sections, and only the CRC tells it changed.
        foreach (var (at, count) in new[] { (bytes.Length / 4, 16), (bytes.Length / 2, 16), (bytes.Length * 3 / 4, 1), (bytes.Length - 6, 1) })
        {
            var corrupted = (byte[])bytes.Clone();
            for (var i = at; i < at + count; i++)
            {
                corrupted[i] ^= 0xFF;
            }

            File.WriteAllBytes(PathOf("corrupted.advisor"), corrupted);
            var line = OneLine(Advisor(["report", "corrupted.advisor", "-o", Output]), 2);
            line.ShouldStartWith("corrupted.advisor: ", customMessage: $"bytes {at}..{at + count}");
            line.ShouldContain("corrupted", customMessage: $"bytes {at}..{at + count}");
        }
    }

    [Theory]
    [InlineData((1L << 30) - 1, "truncated or corrupted (the file ends early or does not decompress)")]
    [InlineData(1L << 40, "corrupted (bad section length)")]
    public void A_recording_claiming_a_gigantic_section_is_refused_without_allocating_it(long claimedBytes, string expected)
    {
        // RecordingFile's layout: the magic string, the format version, then the metadata section's id and length.
        using (var gzip = new GZipStream(File.Create(PathOf("forged.advisor")), CompressionLevel.Fastest))
        using (var writer = new BinaryWriter(gzip))
        {
            writer.Write("dotnet-advisor recording");
            writer.Write(1);
            writer.Write((byte)1);
            writer.Write(claimedBytes);
            writer.Write("{}"u8);
        }

        // A heap far below the claim: allocating it would be an out-of-memory failure, exit 5.
        var result = Advisor(["report", "forged.advisor", "-o", Output], new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x8000000" });

        OneLine(result, 2).ShouldBe($"forged.advisor: {expected}");
    }

    [Fact]
    public void A_compressed_file_that_is_not_a_recording_says_so()
    {
        using (var gzip = new GZipStream(File.Create(PathOf("notes.advisor")), CompressionLevel.Fastest))
        {
            // First bytes that, read as a length-prefixed string, would claim 2 GiB.
            gzip.Write([0xFF, 0xFF, 0xFF, 0xFF, 0x07]);
            gzip.Write(new byte[100_000]);
        }

        OneLine(Advisor(["report", "notes.advisor", "-o", Output]), 2).ShouldBe("notes.advisor: not a dotnet-advisor recording");
    }

    [Fact]
    public void Report_on_a_directory_is_one_line_and_exit_2()
    {
        _dir.CreateSubdirectory("recordings");

        OneLine(Advisor(["report", "recordings", "-o", Output]), 2)
            .ShouldBe("recordings: is a directory; give a recording (NAME.advisor) or an strace log in it");
    }

    [Fact]
    public void Random_bytes_given_to_report_are_one_line_and_exit_2()
    {
        var noise = new byte[64 * 1024];
        new Random(42).NextBytes(noise);
        noise[0] = 0; // not gzip's magic: this is the strace-log path
        File.WriteAllBytes(PathOf("noise.bin"), noise);

        OneLine(Advisor(["report", "noise.bin", "-o", Output]), 2)
            .ShouldBe("noise.bin: neither a dotnet-advisor recording nor an strace log; record one with: strace -f -tt -T -o FILE COMMAND (or -p PID)");
    }

    private static List<string> StormLog(int writes)
    {
        var lines = new List<string> { "7 10:00:00.000000 openat(AT_FDCWD, \"/var/log/audit.log\", O_WRONLY|O_CREAT|O_APPEND, 0666) = 3 <0.000010>" };
        for (var i = 0; i < writes; i++)
        {
            lines.Add($"7 10:00:00.{(i * 100) + 100:D6} pwrite64(3, \"0123456789abcdef\", 16, {i * 16}) = 16 <0.000020>");
        }

        return lines;
    }

    [Fact]
    public void An_strace_log_with_a_few_garbled_or_torn_lines_is_imported_skipping_them_with_a_note()
    {
        var lines = StormLog(2000);
        lines.Insert(501, "7 10:00:00.050150 pwrite64(3, \"0123");      // torn mid-call
        lines.Insert(901, "\u0007\u0003garbage\u00ff line");              // not strace at all
        lines.Insert(1501, "7 10:00:00.150150 pwrite64(3, \"0123456789");
        File.WriteAllLines(PathOf("garbled.log"), lines);

        var result = Advisor(["report", "garbled.log", "--format", "json"]);

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stderr.ShouldBeEmpty();
        var report = ReportJson.Parse(result.Stdout);
        report.SyscallCount("pwrite64").ShouldBe(2000);
        report.Root.GetProperty("session").GetProperty("notes").EnumerateArray().Select(n => n.GetString())
            .ShouldContain("3 lines were not strace output and were skipped (the first is line 502)");
        report.RuleIds.ShouldContain("ADV002");
    }

    [Fact]
    public void An_strace_log_mostly_garbled_is_one_line_naming_the_first_bad_line_and_exit_2()
    {
        var lines = StormLog(20).SelectMany(l => new[] { l, "\u0007\u0003garbage" }).ToList();
        File.WriteAllLines(PathOf("garbled.log"), lines);

        OneLine(Advisor(["report", "garbled.log", "-o", Output]), 2)
            .ShouldBe("garbled.log: 21 of 42 lines are not strace output (the first is line 2): the log is corrupted");
    }

    [Theory]
    [InlineData("--budget bad.yaml", "bad.yaml:2: invalid YAML: ")]
    [InlineData("--budget unknown-key.yaml", "unknown-key.yaml:3: unknown setting 'limits' (known: syscalls, rules, callSites)")]
    [InlineData("--budget missing.yaml", "--budget 'missing.yaml': no such file")]
    [InlineData("--baseline not-json.json", "baseline not-json.json is not a dotnet-advisor JSON report (invalid JSON at line 2): give one written with -o NAME.json")]
    [InlineData("--baseline foreign.json", "baseline foreign.json is not a dotnet-advisor JSON report (JSON of another kind): give one written with -o NAME.json")]
    [InlineData("--baseline missing.json", "--baseline 'missing.json': no such file")]
    [InlineData("--baseline good.json --max-regression abc", "--max-regression 'abc' must be a percentage such as 10%")]
    [InlineData("--config missing.yaml", "--config 'missing.yaml': no such file")]
    [InlineData("--config bad.yaml", "bad.yaml:2: invalid YAML: ")]
    [InlineData("--rules no-such-dir", "rules directory 'no-such-dir' does not exist")]
    public void A_bad_gate_config_or_rules_file_is_one_line_naming_it_and_exit_2(string options, string expected)
    {
        File.WriteAllText(PathOf("trace.log"), ValidLog);
        File.WriteAllText(PathOf("bad.yaml"), "rules:\n  ADV002: severity: error\n");
        File.WriteAllText(PathOf("unknown-key.yaml"), "syscalls:\n  write: 10\nlimits:\n  write: 1\n");
        File.WriteAllText(PathOf("not-json.json"), "{\n  schemaVersion: 1\n}\n");
        File.WriteAllText(PathOf("foreign.json"), "{ \"name\": \"some-other-tool\", \"results\": [] }");
        if (options.Contains("good.json", StringComparison.Ordinal))
        {
            var baseline = Advisor(["report", "trace.log", "-q", "-o", "good.json"]);
            baseline.ExitCode.ShouldBe(0, baseline.Stderr);
        }

        var line = OneLine(Advisor(["report", "trace.log", "-o", Output, .. options.Split(' ')]), 2);

        if (expected.EndsWith(' '))
        {
            line.ShouldStartWith(expected); // the YAML parser's own words follow
        }
        else
        {
            line.ShouldBe(expected);
        }
    }

    [Theory]
    [InlineData("frobnicate", 2, "unknown command 'frobnicate': use one of ps, profile, run, report, hang, monitor, diff, mcp, demo, rules (see dotnet-advisor --help)")]
    [InlineData("report trace.log --format xml -o out.json", 2, "--format 'xml' is not supported: use json, sarif, markdown")]
    [InlineData("report trace.log -o report.txt", 2, "cannot write 'report.txt': the formats are .json, .sarif, .sarif.json, .md, .csv, .html, .htm, .trace.json, .advisor")]
    [InlineData("report trace.log -o again.advisor", 2, "report cannot write 'again.advisor' (recording): it writes .json, .sarif, .sarif.json, .md, .csv, .html, .htm, .trace.json")]
    [InlineData("hang -p 999999 -o out.csv", 2, "hang cannot write 'out.csv' (csv): it writes .json, .sarif, .sarif.json, .md")]
    [InlineData("run -o /nonexistent-dir/x.json -- true", 2, "cannot write '/nonexistent-dir/x.json': no directory '/nonexistent-dir' (create it first)")]
    [InlineData("run --sample-rate 0 -o out.json -- true", 2, "--sample-rate 0 is out of range: use 1 to 1000 (samples per second)")]
    [InlineData("run --sample-rate abc -o out.json -- true", 2, "--sample-rate 'abc' is not a whole number: use 1 to 1000 samples per second (see dotnet-advisor run --help)")]
    [InlineData("report trace.log --fail-on sometimes -o out.json", 2, "--fail-on 'sometimes' must be error, warning, info or none")]
    [InlineData("hang -o out.json", 2, "hang needs -p PID or -n NAME")]
    [InlineData("hang -p 999999 -o out.json", 3, "no process with id 999999 (see `dotnet-advisor ps`)")]
    [InlineData("monitor", 2, "monitor needs -p PID, -n NAME or --all")]
    [InlineData("monitor --all -p 1", 2, "give -p, -n or --all, not more than one")]
    [InlineData("monitor -p 999999", 3, "no process with id 999999 (see `dotnet-advisor ps`)")]
    [InlineData("monitor -p 1 --interval 0s", 2, "--interval '0s' must be a duration from 1s to 1h, such as 10s or 1m")]
    [InlineData("monitor -p 1 --record-for 10ms", 2, "--record-for '10ms' must be a duration from 500ms to 1h, or all, such as 2s")]
    [InlineData("monitor -p 1 --prometheus host:port", 2, "--prometheus 'host:port' must be [ADDR:]PORT, such as 9464 or 0.0.0.0:9464")]
    [InlineData("monitor -p 1 --otlp not-a-url", 2, "--otlp 'not-a-url' must be an absolute http:// or https:// URL, such as http://127.0.0.1:4318")]
    [InlineData("monitor -p 1 --otlp ftp://collector:4318", 2, "--otlp 'ftp://collector:4318' must be an absolute http:// or https:// URL, such as http://127.0.0.1:4318")]
    [InlineData("monitor -p 1 --otlp http://127.0.0.1:4317 --otlp-protocol thrift", 2, "--otlp-protocol 'thrift' must be http/protobuf or grpc")]
    [InlineData("monitor -p 1 --backend dtrace", 2, "--backend 'dtrace' is not a backend: use auto, bpf, perf, ptrace, proc")]
    [InlineData("monitor -p 1 --collect-on hang --collect-dir /proc/nope", 2, "--collect-dir '/proc/nope' is not a directory this user can write: ")]
    [InlineData("monitor -p 1 --collect-on NOPE", 2, "--collect-on 'NOPE' is neither a rule id (see dotnet-advisor rules) nor hang")]
    [InlineData("monitor -p 1 --collect-dir out", 2, "--collect-dir needs --collect-on (the rules, or hang, that trigger a collection)")]
    [InlineData("monitor -p 1 --collect-on hang --collect recordings", 2, "--collect 'recordings' is not a choice: use recording or hang")]
    [InlineData("monitor -p 1 --collect-on hang --collect-cooldown 1s", 2, "--collect-cooldown '1s' must be a duration from 10s to 24h, such as 10m or 1h")]
    [InlineData("profile -p abc -o out.json", 2, "-p 'abc' is not a whole number: give a process id as dotnet-advisor ps lists them, or -n NAME (see dotnet-advisor profile --help)")]
    [InlineData("run -o out.json", 2, "Required argument 'command' missing for command: 'run' (see dotnet-advisor run --help)")]
    [InlineData("report trace.log --quiet --verbose --what -o out.json", 2, "Unrecognized command or argument '--what' (see dotnet-advisor report --help)")]
    public void Bad_usage_is_one_line_with_the_documented_exit_code(string arguments, int exitCode, string expected)
    {
        File.WriteAllText(PathOf("trace.log"), ValidLog);

        var line = OneLine(Advisor(arguments.Split(' ')), exitCode);
        if (expected.EndsWith(' '))
        {
            line.ShouldStartWith(expected); // the system's own words follow
        }
        else
        {
            line.ShouldBe(expected);
        }

        File.Exists(PathOf("report.txt")).ShouldBeFalse();
        Directory.Exists(PathOf("out")).ShouldBeFalse();
    }
}
