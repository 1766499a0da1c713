using System.Globalization;
using System.Text.Json;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// ADV019 round-trip-storm on real servers: samples/RoundTrips under `run` on bpf and on perf makes exactly one
/// finding per pathological mode — the round trips counted within 5% of what the sample made, the server and
/// its client library named, the caller's method, the wait, the library's batching API in the advice — and
/// nothing in its batched twin. samples/OrdersService under wrk: its N+1 endpoint is weighed per request and named
/// by its route, its one-query endpoint raises nothing.
/// </summary>
[Collection(RoundTripServers.Name)]
public sealed class RoundTripFindingTests(PostgresServer postgres, RedisServer redis)
{
    public static TheoryData<string, string> Peers => new()
    {
        // peer (with shape), backend
        { "postgres insert", "bpf" },
        { "postgres select", "bpf" },
        { "redis", "bpf" },
        { "own", "bpf" },
        { "postgres insert", "perf" },
        { "redis", "perf" },
        { "own", "perf" },
    };

    [SkippableTheory]
    [MemberData(nameof(Peers))]
    public void One_round_trip_per_item_is_one_finding_naming_the_server_the_library_and_the_caller(string peer, string backend)
    {
        var traced = TracedSample.RunWith(["--backend", backend], "RoundTrips", Arguments(peer));

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        // Exactly one warning, the round trips. (StackExchange.Redis's own socket-manager threads contend on its
        // internal lock: when they do, ADV004 says so as information naming the library, never as a warning.)
        traced.Report.Root.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() != "info")
            .Select(f => f.GetProperty("ruleId").GetString())
            .ShouldBe(["ADV019"], Messages(traced));
        var finding = traced.Report.Root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("ruleId").GetString() == "ADV019");
        var message = finding.GetProperty("message").GetString()!;
        var made = traced.Summary.Number("round_trips");
        // What the profiler saw includes the sample's setup (a handful of exchanges: connecting, creating the table).
        RoundTrips(message).ShouldBeInRange(made, made * 1.05, message);
        var (server, caller, api) = Expected(peer);
        message.ShouldContain($" to {server} at ", Case.Sensitive, message);
        message.ShouldContain($" from {caller}", Case.Sensitive, message);
        message.ShouldContain(" µs for its answer: ", Case.Sensitive, message);
        finding.GetProperty("severity").GetString().ShouldBe("warning");
        finding.GetProperty("blockedMs").GetDouble().ShouldBeGreaterThan(0);
        finding.GetProperty("advice")[0].GetProperty("text").GetString()!.ShouldContain(api);
    }

    [SkippableTheory]
    [MemberData(nameof(Peers))]
    public void The_batched_twin_raises_nothing(string peer, string backend)
    {
        var traced = TracedSample.RunWith(["--backend", backend], "RoundTrips", [.. Arguments(peer), "--fixed"]);

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        traced.Report.RuleIds.ShouldBeEmpty(Messages(traced));
    }

    [SkippableTheory]
    [InlineData("/customers/7/orders-slow", true)]
    [InlineData("/customers/7/orders", false)]
    public void A_services_N_plus_1_endpoint_is_weighed_per_request_and_its_one_query_twin_is_not_flagged(string path, bool flagged)
    {
        Privileges.RequireTracing();
        Privileges.RequireTool("wrk");
        using var service = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("OrdersService"), "--server", postgres.Endpoint, "--serve", "120"]);
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        var report = Path.Combine(dir.FullName, "report.json");
        try
        {
            var url = ServiceAddress.WaitFor(service, "OrdersService");
            _ = service.StandardOutput.ReadToEndAsync();
            ProcessRunner.Run("wrk", ["-t1", "-c8", "-d2s", url + path], TimeSpan.FromMinutes(1)).ExitCode.ShouldBe(0);
            using var load = ProcessRunner.Start("wrk", ["-t1", "-c8", "-d12s", url + path]);

            var result = ProcessRunner.Advisor("profile", "-p", service.Id.ToString(CultureInfo.InvariantCulture), "--duration", "6s", "-q", "-o", report);

            result.ExitCode.ShouldBe(0, result.Stderr);
            load.Kill();
            var json = ReportJson.Load(report);
            var findings = json.Root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("ruleId").GetString() == "ADV019").ToList();
            if (!flagged)
            {
                findings.ShouldBeEmpty();
                json.Root.GetProperty("findings").EnumerateArray().ShouldNotContain(f => f.GetProperty("severity").GetString() != "info");
                return;
            }

            var message = findings.ShouldHaveSingleItem().GetProperty("message").GetString()!;
            // 21 queries a request: the order ids, then one per order.
            var perRequest = double.Parse(
                message.Split(" per request)")[0].Split(", ")[^1], CultureInfo.InvariantCulture);
            perRequest.ShouldBeInRange(19, 23, message);
            message.ShouldContain(" to PostgreSQL (Npgsql) at ", Case.Sensitive, message);
            message.ShouldContain("OrdersService.OrderSummaries.LoadOneByOne → NpgsqlCommand.ExecuteScalar", Case.Sensitive, message);
            // The route, from the handler the async caller's first query ran under (its later ones resume on the pool).
            message.ShouldContain(" in endpoint GET /customers/{id:int}/orders-slow, ", Case.Sensitive, message);
        }
        finally
        {
            service.Kill();
            service.WaitForExit();
            dir.Delete(recursive: true);
        }
    }

    private string[] Arguments(string peer) => peer.Split(' ') switch
    {
        ["postgres", var shape] => ["--peer", "postgres", "--shape", shape, "--server", postgres.Endpoint],
        ["redis"] => ["--peer", "redis", "--server", redis.Endpoint],
        _ => ["--peer", "own"],
    };

    private static (string Server, string Caller, string Api) Expected(string peer) => peer switch
    {
        "postgres insert" => ("PostgreSQL (Npgsql)", "RoundTrips.OrderImporter.ImportOneByOne", "BeginBinaryImport"),
        "postgres select" => ("PostgreSQL (Npgsql)", "RoundTrips.OrderLookup.LoadEach", "ANY(@ids)"),
        // StackExchange.Redis talks on its own threads: the caller is where the application waited for it.
        "redis" => ("Redis (StackExchange.Redis)", "RoundTrips.PriceCache.LookupEach", "StringGet(RedisKey[])"),
        // A protocol no rule knows: the server by its endpoint, the generic advice.
        _ => ("a TCP service", "RoundTrips.Quote", "Ask for the items together"),
    };

    /// <summary>The count a round-trip message starts with: "5,008 round trips (…".</summary>
    private static double RoundTrips(string message) =>
        double.Parse(message.Split(" round trips")[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static string Messages(TracedSample traced) =>
        string.Join(" | ", traced.Report.Root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("message").GetString()));
}
