using System.Text.Json;

namespace Advisor.IntegrationTests.Support;

/// <summary>A JSON report read back with the plain DOM, so these tests check the contract, not our own reader.</summary>
internal sealed class ReportJson
{
    private ReportJson(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static ReportJson Load(string path) => Parse(File.ReadAllText(path));

    public static ReportJson Parse(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    public IReadOnlyList<JsonElement> Findings(string ruleId) =>
        Root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("ruleId").GetString() == ruleId).ToList();

    public IReadOnlyList<string> RuleIds =>
        Root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).ToList();

    public long SyscallCount(string name) =>
        Root.GetProperty("summary").GetProperty("syscalls").EnumerateArray()
            .Where(s => s.GetProperty("name").GetString() == name)
            .Select(s => s.GetProperty("count").GetInt64())
            .FirstOrDefault();

    /// <summary>The calls the target made for the tool (session.observer), of one syscall or of all.</summary>
    public long ObserverCount(string? name = null) =>
        Root.GetProperty("session").TryGetProperty("observer", out var observer)
            ? observer.GetProperty("syscalls").EnumerateArray()
                .Where(s => name is null || s.GetProperty("name").GetString() == name)
                .Sum(s => s.GetProperty("count").GetInt64())
            : 0;

    /// <summary>Every call the target made for the tool.</summary>
    public long ObserverCalls => ObserverCount();

    public IReadOnlyList<JsonElement> Threads => Root.GetProperty("threads").EnumerateArray().ToList();
}
