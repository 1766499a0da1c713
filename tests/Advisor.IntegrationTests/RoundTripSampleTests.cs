using System.Globalization;
using System.Net;
using System.Text.Json;
using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// The round-trip samples (ADV019) on their own, without the profiler, against real servers the fixtures start:
/// samples/RoundTrips' three peers (PostgreSQL, Redis, its own in-process protocol), each pathological mode
/// making one exchange per item and its fixed twin a few, with the same result; and samples/OrdersService's
/// N+1 endpoint and its one-query twin answering the same total. What the profiler makes of them is the
/// rule's tests'; these hold the samples to what they say they do. No timings are asserted.
/// </summary>
[Collection(RoundTripServers.Name)]
public sealed class RoundTripSampleTests(PostgresServer postgres, RedisServer redis)
{
    [SkippableTheory]
    [InlineData("insert", 300, 2)] // COPY: its start and its end
    [InlineData("select", 300, 1)] // one WHERE id = ANY(@ids)
    public void Postgres_one_statement_per_row_is_a_round_trip_each_and_the_twin_a_few_with_the_same_result(string shape, int rows, int batched)
    {
        string server = postgres.Endpoint;

        var (pathological, fixedTwin) = RunBoth("--peer", "postgres", "--shape", shape, "--server", server, "--count", $"{rows}");

        pathological.Number("round_trips").ShouldBe(rows);
        fixedTwin.Number("round_trips").ShouldBe(batched);
        pathological.Fields["result"].ShouldBe(fixedTwin.Fields["result"]);
        pathological.Fields["shape"].ShouldBe(shape);
        pathological.Fields["server"].ShouldBe(server);
    }

    [SkippableFact]
    public void Redis_one_GET_per_key_is_a_round_trip_each_and_the_MGET_twin_one_per_1000_keys()
    {
        string server = redis.Endpoint;

        var (pathological, fixedTwin) = RunBoth("--peer", "redis", "--server", server, "--count", "2500");

        pathological.Number("round_trips").ShouldBe(2500);
        fixedTwin.Number("round_trips").ShouldBe(3);
        pathological.Fields["result"].ShouldBe(fixedTwin.Fields["result"]);
        pathological.Fields["server"].ShouldBe(server);
    }

    [SkippableFact]
    public void The_own_protocol_one_request_per_item_is_a_round_trip_each_and_the_twin_one_per_1000_items()
    {
        var (pathological, fixedTwin) = RunBoth("--peer", "own", "--count", "2500");

        pathological.Number("round_trips").ShouldBe(2500);
        fixedTwin.Number("round_trips").ShouldBe(3);
        pathological.Fields["result"].ShouldBe(fixedTwin.Fields["result"]);
        pathological.Fields["server"].ShouldBe("in-process");
    }

    [SkippableFact]
    public async Task OrdersService_answers_the_same_total_from_its_N_plus_1_endpoint_and_its_one_query_endpoint()
    {
        string server = postgres.Endpoint;
        using var service = ProcessRunner.Start("dotnet", ["exec", RepoLayout.Sample("OrdersService"), "--server", server, "--serve", "120"]);
        try
        {
            var url = ServiceAddress.WaitFor(service, "OrdersService");
            _ = service.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };

            var slow = await GetTotal(http, "/customers/7/orders-slow");
            var healthy = await GetTotal(http, "/customers/7/orders");

            slow.GetProperty("orders").GetInt32().ShouldBe(20);
            healthy.GetProperty("orders").GetInt32().ShouldBe(20);
            healthy.GetProperty("total").GetDecimal().ShouldBe(slow.GetProperty("total").GetDecimal());
            healthy.GetProperty("total").GetDecimal().ShouldBeGreaterThan(0);
        }
        finally
        {
            service.Kill();
            service.WaitForExit();
        }
    }

    [SkippableTheory]
    [InlineData(false, 21)] // the ids, then one query per order (20)
    [InlineData(true, 1)]
    public void OrdersService_built_in_load_counts_its_database_round_trips_per_request(bool isFixed, int perRequest)
    {
        string[] arguments = ["exec", RepoLayout.Sample("OrdersService"), "--server", postgres.Endpoint, "--requests", "40", .. isFixed ? new[] { "--fixed" } : []];

        var result = ProcessRunner.Run("dotnet", arguments, TimeSpan.FromMinutes(2));

        result.ExitCode.ShouldBe(0, result.Stderr);
        var summary = SampleSummary.Parse(result.Stderr);
        summary.Mode.ShouldBe(isFixed ? "fixed" : "pathological");
        summary.Number("ok").ShouldBe(40);
        summary.Number("db_round_trips").ShouldBe(40 * perRequest);
    }

    /// <summary>RoundTrips with these arguments, then with --fixed too; both must succeed.</summary>
    private static (SampleSummary Pathological, SampleSummary Fixed) RunBoth(params string[] arguments)
    {
        var pathological = Run(arguments);
        var fixedTwin = Run([.. arguments, "--fixed"]);
        pathological.Mode.ShouldBe("pathological");
        fixedTwin.Mode.ShouldBe("fixed");
        return (pathological, fixedTwin);
    }

    private static SampleSummary Run(string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", ["exec", RepoLayout.Sample("RoundTrips"), .. arguments], TimeSpan.FromMinutes(2));
        result.ExitCode.ShouldBe(0, result.Stderr);
        var summary = SampleSummary.Parse(result.Stderr);
        summary.Number("count").ShouldBe(long.Parse(arguments[Array.IndexOf(arguments, "--count") + 1], CultureInfo.InvariantCulture));
        return summary;
    }

    private static async Task<JsonElement> GetTotal(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }
}
