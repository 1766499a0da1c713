using System.Text.RegularExpressions;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// `-o x.html` loaded in headless Chromium (Debian's chromium): the page renders offline with its flame
/// graph, its per-thread timeline and the findings; a screenshot is kept as a test artifact.
/// </summary>
public sealed partial class HtmlReportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("advisor-html-");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void The_page_renders_in_Chromium_with_the_flame_graph_the_timeline_and_the_findings()
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("chromium");
        var page = Path.Combine(_dir.FullName, "report.html");
        var run = ProcessRunner.Advisor(["run", "-q", "-o", page, "--", "dotnet", RepoLayout.Sample("UnbufferedWriter"), "--count", "50000", "--threads", "2"]);
        run.ExitCode.ShouldBe(0, run.Stderr);
        var html = File.ReadAllText(page);
        foreach (var fetch in new[] { "src=", "<link", "url(", "http://", "https://" })
        {
            html.ShouldNotContain(fetch, Case.Insensitive, "self-contained: nothing to fetch");
        }

        string[] headless = ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1300,2000"];
        var dom = ProcessRunner.Run("chromium", [.. headless, "--dump-dom", new Uri(page).AbsoluteUri], TimeSpan.FromSeconds(60)).Stdout;
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        var screenshot = Path.Combine(artifacts.FullName, "html-report.png");
        ProcessRunner.Run("chromium", [.. headless, $"--screenshot={screenshot}", new Uri(page).AbsoluteUri], TimeSpan.FromSeconds(60));

        dom.ShouldContain("data-rendered=\"yes\"", Case.Sensitive, "the page's script ran");
        RenderedWidth().Matches(dom).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ShouldAllBe(w => w > 0);
        FlameFrames().Matches(dom).Count.ShouldBeGreaterThan(10);
        dom.ShouldContain("Program.WriteRecords");
        TimelineRows().Matches(dom).Count.ShouldBeGreaterThanOrEqualTo(2);
        dom.ShouldContain("writer-0");
        dom.ShouldContain("ADV002 unbuffered-writes");
        new FileInfo(screenshot).Length.ShouldBeGreaterThan(10_000);
    }

    [GeneratedRegex("data-rendered-width=\"(\\d+)\"")]
    private static partial Regex RenderedWidth();

    [GeneratedRegex("<rect class=\"frame\"")]
    private static partial Regex FlameFrames();

    [GeneratedRegex("<g class=\"thread\"")]
    private static partial Regex TimelineRows();
}
