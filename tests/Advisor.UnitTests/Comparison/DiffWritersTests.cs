using System.Text;
using System.Text.Json;
using Advisor.Cli.Output;
using Advisor.Core.Comparison;
using Advisor.Core.Comparison.Exporters;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Reports.Diff;
using Advisor.UnitTests.Reports;

namespace Advisor.UnitTests.Comparison;

/// <summary>The diff's formats: JSON against its published schema, the Markdown table, the side-by-side page, and their registry.</summary>
public sealed class DiffWritersTests
{
    private const string Site = "Program.WriteRecords → FileStream.Write";

    private static readonly Lazy<MiniJsonSchemaValidator> Schema = new(() =>
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("schemas", "diff.schema.json")));
        return new MiniJsonSchemaValidator(schema.RootElement.Clone());
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_JSON_diff_follows_its_published_schema(bool services)
    {
        long? requests = services ? 1_000 : null;
        var diff = Runs.Compare(Sample(10, requests), Sample(5, requests, after: true));

        using var json = JsonDocument.Parse(DiffJsonWriter.Serialize(diff));

        Schema.Value.Validate(json.RootElement).ShouldBeEmpty();
        json.RootElement.GetProperty("unit").GetString().ShouldBe(services ? "request" : "second");
        json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("status").GetString()).ShouldBe(["fixed", "new", "still"]);
        var fixedOne = json.RootElement.GetProperty("findings")[0];
        fixedOne.TryGetProperty("after", out _).ShouldBeFalse("a fixed finding has no after side");
        fixedOne.GetProperty("severity").GetString().ShouldBe("warning");
        fixedOne.GetProperty("callsPerUnit").TryGetProperty("percent", out var percent).ShouldBeTrue();
        percent.GetDouble().ShouldBe(-100);
    }

    [Fact]
    public void The_schema_catches_what_the_writer_must_not_write()
    {
        var diff = Runs.Compare(Sample(10, null), Sample(5, null, after: true));
        var json = System.Text.Json.Nodes.JsonNode.Parse(DiffJsonWriter.Serialize(diff))!;
        json["findings"]![0]!["status"] = "gone";
        json["before"]!.AsObject().Remove("program");

        using var document = JsonDocument.Parse(json.ToJsonString());
        var errors = Schema.Value.Validate(document.RootElement);

        errors.ShouldContain(e => e.Contains("status", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("program", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Markdown_is_a_table_with_one_row_per_finding()
    {
        var diff = Runs.Compare(Sample(10, null), Sample(5, null, after: true));

        var md = DiffMarkdownWriter.Render(diff);

        md.ShouldStartWith("# dotnet-advisor diff: Writer\n");
        md.ShouldContain("| | severity | rule | call site | calls/s before | after | change | saving ms/s before | after |\n|---|---|---|---|---:|---:|---:|---:|---:|\n");
        md.ShouldContain($"| **fixed** | warning | ADV002 unbuffered-writes | {Site} | 100 | 0 | gone | 5.00 | 0 |\n");
        md.ShouldContain("| **new** | error | ADV006 rule |");
        md.ShouldContain("| **still there** | info | ADV007 rule |");
        md.ShouldContain("ADV002 fixed: its syscalls took");
        md.ShouldContain("## Syscalls");
        md.ShouldContain("## Runtime");
    }

    [Fact]
    public void The_page_is_self_contained_with_both_runs_side_by_side()
    {
        var (before, after) = (Sample(10, null), Sample(5, null, after: true));
        var diff = Runs.Compare(before, after);

        var html = DiffHtmlWriter.Render(new DiffContext(diff, before, after));

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
        html.ShouldContain("<div class=\"run before\">");
        html.ShouldContain("<div class=\"run after\">");
        html.ShouldContain("<tr class=\"fixed\"><td>fixed</td>");
        // Each run's own findings, drawn as the report's page draws them.
        Count(html, "<section class=\"finding").ShouldBe(before.Findings.Count + after.Findings.Count);
    }

    [Theory]
    [InlineData("d.json", "json")]
    [InlineData("d.MD", "markdown")]
    [InlineData("d.htm", "html")]
    public void Diff_outputs_are_chosen_by_their_ending(string path, string format) =>
        DiffExporters.For(path).Name.ShouldBe(format);

    [Fact]
    public void A_format_diff_does_not_write_is_refused_naming_those_it_does()
    {
        Should.Throw<AdvisorException>(() => DiffExporters.For("d.sarif")).Message.ShouldBe("cannot write 'd.sarif': the formats are .json, .md, .html, .htm");
        Should.Throw<AdvisorException>(() => DiffExporters.Printed("html")).Message.ShouldBe("--format 'html' is not supported: use json, markdown");
    }

    [Fact]
    public void The_JSON_exporter_writes_what_the_writer_serializes()
    {
        var (before, after) = (Sample(10, null), Sample(5, null, after: true));
        var diff = Runs.Compare(before, after);
        using var stream = new MemoryStream();

        DiffExporters.For("d.json").Write(new DiffContext(diff, before, after), stream);

        Encoding.UTF8.GetString(stream.ToArray()).ShouldBe(DiffJsonWriter.Serialize(diff) + "\n");
    }

    /// <summary>ADV002 fixed after, ADV006 new, ADV007 still there.</summary>
    private static Core.Reporting.AdvisorReport Sample(double seconds, long? requests, bool after = false) =>
        Runs.Report(
            seconds,
            after
                ? [Runs.Finding("ADV006", Site, 10, 1, Severity.Error), Runs.Finding("ADV007", "Program.Open → File.Open", 50, 2, Severity.Info)]
                : [Runs.Finding("ADV002", Site, 1_000, 50), Runs.Finding("ADV007", "Program.Open → File.Open", 100, 5, Severity.Info)],
            requests: requests);

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
