using Advisor.Core.Findings;
using Advisor.Core.Reporting;

namespace Advisor.UnitTests.Reports;

/// <summary>--redact: no path, endpoint or command line left, and the same hash for the same name everywhere.</summary>
public class RedactionTests
{
    private static AdvisorReport Report() => new(
        AdvisorReport.CurrentSchemaVersion,
        new ToolInfo("dotnet-advisor", "0.1.0"),
        new TargetInfo(1, "app", "dotnet /srv/secret-app/App.dll --db prod", "10.0.12", true),
        new SessionInfo("perf", 1, 10, 0, []),
        new ReportSummary([]),
        [new ThreadReport(7, "fetcher", "user-named", 0, "blocked (S)", "recvmsg", 5000, null, "fd 23 tcp 10.0.0.5:41000 → 10.0.0.9:5432")],
        [new Finding(
            "ADV002", "unbuffered-writes", Severity.Warning, "t", "pwrite64 ×5 (16 B avg) on /var/log/secret/app.log from MyApp.Log.Write",
            new Evidence { Syscalls = ["pwrite64"], Count = 5, Fd = 3, Path = "/var/log/secret/app.log" },
            null, [], 0, 0, "", [])]);

    [Fact]
    public void Paths_endpoints_and_the_command_line_become_stable_hashes()
    {
        var redacted = Redaction.Apply(Report());
        var token = Redaction.Token("/var/log/secret/app.log");

        token.ShouldStartWith("/redacted/");
        token.Length.ShouldBe("/redacted/".Length + 8);
        redacted.Findings[0].Message.ShouldBe($"pwrite64 ×5 (16 B avg) on {token} from MyApp.Log.Write");
        redacted.Findings[0].Evidence.Path.ShouldBe(token);
        redacted.Threads[0].BlockedOn.ShouldBe($"fd 23 tcp {Redaction.Token("10.0.0.5:41000")} → {Redaction.Token("10.0.0.9:5432")}");
        Redaction.Token("10.0.0.9:5432").ShouldStartWith("endpoint#");
        redacted.Target.CommandLine.ShouldStartWith("name#");
        var json = Advisor.Reports.Json.JsonReportWriter.Serialize(redacted);
        json.ShouldNotContain("secret");
        json.ShouldNotContain("10.0.0.9");
    }

    [Fact]
    public void An_endpoint_named_only_in_a_message_is_hashed_too()
    {
        var report = Report() with { Findings = [Report().Findings[0] with { Message = "500 connections opened (500/s) to 10.0.0.9:5432 from MyApp.Get", Evidence = Report().Findings[0].Evidence with { Path = null } }] };

        Redaction.Apply(report).Findings[0].Message.ShouldBe($"500 connections opened (500/s) to {Redaction.Token("10.0.0.9:5432")} from MyApp.Get");
    }

    [Fact]
    public void A_requests_path_is_hashed_and_its_endpoint_template_kept()
    {
        var request = new HangRequest(9, "GET", "/customers/alice@example.com", "HTTP: GET /customers/{email}", "lambda_method1", "Task.Wait", 4_000);
        var report = Report() with { Hang = new HangReport("threadpool-starvation", "s", "n", 1500, new HangRequests(1, 1, 4_000, [request])) };

        var redacted = Redaction.Apply(report).Hang!.Requests!.Items.ShouldHaveSingleItem();

        redacted.Path.ShouldBe(Redaction.Token("/customers/alice@example.com"));
        redacted.Endpoint.ShouldBe("HTTP: GET /customers/{email}");
        Advisor.Reports.Json.JsonReportWriter.Serialize(Redaction.Apply(report)).ShouldNotContain("alice");
    }

    [Fact]
    public void A_hang_verdict_naming_a_server_and_a_connection_is_hashed_in_its_summary_and_its_next_step()
    {
        var report = Report() with
        {
            Hang = new HangReport(
                "blocked-on-io",
                "job (tid 7) has been waiting 5.0 s for PostgreSQL at 10.0.0.9:5432 (Npgsql) in MyApp.Job.Run → NpgsqlCommand.ExecuteNonQuery",
                "The thread waits for PostgreSQL at 10.0.0.9:5432 (Npgsql) to answer: look at the server's side first — in pg_stat_activity, the session of client 10.0.0.5:41000 …",
                1500),
        };

        var hang = Redaction.Apply(report).Hang!;

        hang.Summary.ShouldContain($"for PostgreSQL at {Redaction.Token("10.0.0.9:5432")} (Npgsql)");
        hang.NextStep.ShouldContain($"the session of client {Redaction.Token("10.0.0.5:41000")}");
        Advisor.Reports.Json.JsonReportWriter.Serialize(Redaction.Apply(report)).ShouldNotContain("10.0.0.");
    }

    [Fact]
    public void The_same_name_gets_the_same_token_in_every_run()
    {
        Redaction.Token("/var/log/app.log").ShouldBe(Redaction.Token("/var/log/app.log"));
        Redaction.Token("/var/log/app.log").ShouldNotBe(Redaction.Token("/var/log/app2.log"));
    }
}
