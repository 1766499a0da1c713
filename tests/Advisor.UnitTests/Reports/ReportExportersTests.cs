using System.Text;
using Advisor.Cli.CommandLine;
using Advisor.Cli.Output;
using Advisor.Cli.Sessions;
using Advisor.Core.Failures;
using Advisor.Core.Reporting;
using Advisor.Core.Reporting.Exporters;
using Advisor.Core.Rules;
using Advisor.Reports.Csv;
using Advisor.UnitTests.Aggregation;

namespace Advisor.UnitTests.Reports;

/// <summary>The registry of -o formats, the README table it generates, and the CSV exporter added through it.</summary>
public class ReportExportersTests
{
    private const int Writer = 11;

    [Theory]
    [InlineData("a.json", "json")]
    [InlineData("a.trace.json", "chrome-trace")]
    [InlineData("a.sarif.json", "sarif")]
    [InlineData("out/a.SARIF", "sarif")]
    [InlineData("a.CSV", "csv")]
    [InlineData("a.htm", "html")]
    [InlineData("a.advisor", "recording")]
    [InlineData("a.md", "markdown")]
    public void The_longest_ending_that_matches_chooses_the_format(string path, string name) =>
        ReportExporters.For(path).Name.ShouldBe(name);

    [Fact]
    public void Every_ending_belongs_to_one_format()
    {
        var endings = ReportExporters.All.SelectMany(e => e.Extensions).ToList();

        endings.ShouldBeUnique();
        endings.ShouldAllBe(x => x.StartsWith('.') && x == x.ToLowerInvariant());
        Should.Throw<AdvisorException>(() => ReportExporters.For("a.xml")).Message.ShouldContain(ReportExporters.Endings);
    }

    [Fact]
    public void The_READMEs_table_of_formats_is_the_registrys()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        const string Start = "<!-- formats: generated from src/Advisor.Cli/Output/ReportExporters.cs; a unit test checks it -->\n";
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "README.md has no generated table of formats");
        var end = readme.IndexOf("<!-- /formats -->", start, StringComparison.Ordinal);

        readme[(start + Start.Length)..end].ShouldBe(ReportExporters.MarkdownTable());
    }

    [Fact]
    public void Hang_refuses_formats_that_need_a_recording_and_report_refuses_to_write_one()
    {
        var hang = Should.Throw<AdvisorException>(() => ReportOutput.Require(Options("t.csv"), ExporterInput.Report, "hang"));
        hang.Kind.ShouldBe(FailureKind.Usage);
        hang.Message.ShouldBe("hang cannot write 't.csv' (csv): it writes .json, .sarif, .sarif.json, .md");

        var report = Should.Throw<AdvisorException>(() => ReportOutput.Require(Options("r.html", "again.advisor"), ExporterInput.RawEvents, "report"));
        report.Message.ShouldStartWith("report cannot write 'again.advisor' (recording)");

        ReportOutput.Require(Options("t.json", "t.md", "t.sarif"), ExporterInput.Report, "hang");
    }

    [Fact]
    public void Csv_has_one_row_per_thread_syscall_and_fd_summed_over_call_stacks()
    {
        var stream = new SyscallStream().Thread(Writer, "writer, \"main\"").File(3, "/tmp/a,b.log");
        stream.Repeat(100, Writer, "pwrite64", durationNs: 2_000, ret: 16, arg0: 3, stackId: 1);
        stream.Repeat(50, Writer, "pwrite64", durationNs: 4_000, ret: 16, arg0: 3, stackId: 2);
        stream.Repeat(3, Writer, "openat", durationNs: 1_000, ret: -2);
        var context = new ReportContext(Report(), RuleCatalog.BuiltIn()) { Snapshot = stream.Snapshot() };

        var lines = Write(context);

        lines[0].ShouldBe("pid,tid,thread,role,syscall,fd,target,calls,errors,bytes,total_ms,max_ms");
        lines.Length.ShouldBe(3);
        lines[1].ShouldBe($"10,{Writer},\"writer, \"\"main\"\"\",user-named,pwrite64,3,\"/tmp/a,b.log\",150,0,2400,0.4,0.004");
        lines[2].ShouldBe($"10,{Writer},\"writer, \"\"main\"\"\",user-named,openat,,,3,3,0,0.003,0.001");
    }

    [Fact]
    public void Csv_hashes_paths_when_asked_to_redact()
    {
        var stream = new SyscallStream().Thread(Writer, "writer").File(3, "/srv/secret.log");
        stream.Repeat(10, Writer, "write", durationNs: 1_000, ret: 8, arg0: 3);
        var context = new ReportContext(Report(), RuleCatalog.BuiltIn(), Redact: true) { Snapshot = stream.Snapshot() };

        var text = string.Join('\n', Write(context));

        text.ShouldNotContain("secret");
        text.ShouldContain(Redaction.Token("/srv/secret.log"));
    }

    private static string[] Write(ReportContext context)
    {
        using var output = new MemoryStream();
        new CsvExporter().Write(context, output);
        return Encoding.UTF8.GetString(output.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    private static ReportOptions Options(params string[] outputs) => new(outputs, Quiet: true, Format: null, Verbose: false);

    private static AdvisorReport Report() => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0"),
        new TargetInfo(10, "app", "app", null, false),
        new SessionInfo("bpf", 1, 0, 0, []),
        new ReportSummary([]),
        [],
        []);
}
