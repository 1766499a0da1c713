using System.Reflection;
using Advisor.Runtime.Symbols.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Advisor.UnitTests.Runtime;

/// <summary>
/// The routes an application maps, read from its assembly on disk: a minimal API's Map calls (lambdas, method
/// groups, groups kept in a local or chained) and a controller's route attributes, as ASP.NET Core joins them.
/// This test assembly is the application: the types below are compiled into it and never run.
/// </summary>
public class EndpointRoutesTests
{
    private static readonly IReadOnlyDictionary<int, string> Routes = EndpointRoutes.Read(typeof(EndpointRoutesTests).Assembly.Location);

    private static int Token(Type type, string method) =>
        type.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!.MetadataToken;

    [Fact]
    public void A_controllers_route_joins_its_actions_and_a_leading_slash_starts_over()
    {
        Routes[Token(typeof(InvoicesController), nameof(InvoicesController.GetAsync))].ShouldBe("GET /api/Invoices/{id}");
        Routes[Token(typeof(InvoicesController), nameof(InvoicesController.Create))].ShouldBe("POST /api/Invoices");
        Routes[Token(typeof(InvoicesController), nameof(InvoicesController.Health))].ShouldBe("GET /health");
        Routes[Token(typeof(InvoicesController), nameof(InvoicesController.Rename))].ShouldBe("/api/Invoices/Rename/{id}");
        Routes.ContainsKey(Token(typeof(InvoicesController), nameof(InvoicesController.NotAnAction))).ShouldBeFalse();
    }

    [Fact]
    public void An_async_handlers_state_machine_carries_its_route_for_the_code_past_its_first_await()
    {
        var kickoff = typeof(InvoicesController).GetMethod(nameof(InvoicesController.LinesAsync))!;
        var moveNext = kickoff.GetCustomAttribute<System.Runtime.CompilerServices.AsyncStateMachineAttribute>()!.StateMachineType
            .GetMethod("MoveNext", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance)!;

        Routes[kickoff.MetadataToken].ShouldBe("GET /api/Invoices/{id}/lines");
        Routes[moveNext.MetadataToken].ShouldBe("GET /api/Invoices/{id}/lines");
        // The async lambda's too: its method and its state machine.
        Routes.Values.Count(r => r == "DELETE /v2/orders/{id}").ShouldBe(2);
    }

    [Fact]
    public void A_minimal_APIs_map_calls_name_their_handlers_routes_groups_included()
    {
        Routes[Token(typeof(MinimalEndpoints), nameof(MinimalEndpoints.CreateOrder))].ShouldBe("POST /api/orders");
        Routes[Token(typeof(MinimalEndpoints), nameof(MinimalEndpoints.Fallback))].ShouldBe("/");
        // The lambdas are the compiler's methods: their routes are there, whatever their generated names.
        Routes.Values.ShouldContain("GET /items/{id:int}");
        Routes.Values.ShouldContain("DELETE /v2/orders/{id}");
        Routes.ContainsKey(Token(typeof(MinimalEndpoints), nameof(MinimalEndpoints.Map))).ShouldBeFalse();
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_maps_nothing()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a PE file");
            EndpointRoutes.Read(file).ShouldBeEmpty();
            EndpointRoutes.Read(file + ".gone").ShouldBeEmpty();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Route("api/[controller]")]
    public sealed class InvoicesController : ControllerBase
    {
        [HttpGet("{id}")]
        public Task<int> GetAsync(int id) => Task.FromResult(id);

        [HttpPost]
        public int Create() => 1;

        [HttpGet("{id}/lines")]
        public async Task<int> LinesAsync(int id)
        {
            await Task.Yield();
            return id;
        }

        [HttpGet("/health")]
        public string Health() => "ok";

        [Route("[action]/{id}")]
        public int Rename(int id) => id;

        [NonAction]
        public int NotAnAction() => 0;
    }

    public static class MinimalEndpoints
    {
        public static void Map(WebApplication app)
        {
            app.MapGet("/items/{id:int}", (int id) => id);
            var api = app.MapGroup("/api");
            api.MapPost("/orders", CreateOrder);
            app.MapGroup("/v2").MapDelete("/orders/{id}", async (int id) => await Task.Yield());
            app.MapFallback(Fallback);
        }

        public static IResult CreateOrder() => Results.Ok();

        public static string Fallback() => "fallback";
    }
}
