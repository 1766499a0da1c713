using System.Text.Json;
using Advisor.Cli.Mcp.Tools;

namespace Advisor.UnitTests.Mcp;

public sealed class DiffSummaryTests
{
    [Fact]
    public void A_fixed_finding_reads_its_message_from_the_before_run_and_a_new_one_from_the_after_run()
    {
        using var diff = JsonDocument.Parse("""
            { "findings": [
                { "status": "fixed", "ruleId": "ADV002", "ruleName": "unbuffered-writes", "before": { "message": "pwrite64 ×200,000 (16 B avg) on /data/out.dat" } },
                { "status": "new", "ruleId": "ADV017", "ruleName": "metadata-storm", "after": { "message": "file metadata calls ×9,000 from App.Poll" } } ] }
            """);

        DiffTool.Summary(diff.RootElement).ShouldBe(
            "1 fixed, 1 new\nFIXED ADV002 unbuffered-writes: pwrite64 ×200,000 (16 B avg) on /data/out.dat\nNEW ADV017 metadata-storm: file metadata calls ×9,000 from App.Poll");
    }

    [Fact]
    public void No_finding_in_either_run_says_so()
    {
        using var diff = JsonDocument.Parse("""{ "findings": [] }""");

        DiffTool.Summary(diff.RootElement).ShouldBe("no findings in either run");
    }
}
