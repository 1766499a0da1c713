using System.Globalization;
using System.Text.Json;
using Advisor.Core.Failures;

namespace Advisor.Cli.Mcp;

/// <summary>
/// The arguments of one tool call, checked before anything runs: a missing, mistyped or unknown argument is refused
/// with one line and exit code 2, as the command line refuses a bad option.
/// </summary>
internal sealed class ToolArguments
{
    private readonly string _tool;
    private readonly IDictionary<string, JsonElement> _values;

    /// <param name="known">The names the tool's input schema declares: anything else is a mistake, not something to ignore.</param>
    /// <exception cref="AdvisorException">An argument the tool does not take.</exception>
    public ToolArguments(string tool, IDictionary<string, JsonElement>? values, IReadOnlyCollection<string> known)
    {
        _tool = tool;
        _values = values ?? new Dictionary<string, JsonElement>();
        foreach (var name in _values.Keys.Where(n => !known.Contains(n)))
        {
            throw Usage(known.Count == 0
                ? $"{tool} takes no arguments (got '{name}')"
                : $"{tool} has no argument '{name}' (it takes {string.Join(", ", known)})");
        }
    }

    /// <summary>A process id: a whole number above 0 (a string of digits is taken too, as some clients send one).</summary>
    public int Pid(string name = "pid")
    {
        var value = Required(name);
        if (WholeNumber(value) is { } pid and > 0 and <= int.MaxValue)
        {
            return (int)pid;
        }

        throw Usage($"{_tool}: {name} must be a process id, a whole number above 0 (got {value.GetRawText()})");
    }

    /// <summary>A whole number of seconds from 1 to <paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public int Seconds(string name, int fallback, int max)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return WholeNumber(value) switch
        {
            null => throw Usage($"{_tool}: {name} must be a whole number of seconds (got {value.GetRawText()})"),
            < 1 => throw Usage($"{_tool}: {name} must be at least 1 (got {value.GetRawText()})"),
            var seconds when seconds > max => throw Usage(string.Create(CultureInfo.InvariantCulture, $"{_tool}: {name} may be at most {max} (got {seconds}): the server's tools are bounded in time")),
            var seconds => (int)seconds,
        };
    }

    /// <summary>A non-empty string.</summary>
    public string Text(string name)
    {
        var value = Required(name);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Usage($"{_tool}: {name} must be a non-empty string (got {value.GetRawText()})");
    }

    /// <summary>
    /// A file path, made absolute against the server's working directory: an absolute path cannot be read as an
    /// option of the command it is passed to.
    /// </summary>
    public string FilePath(string name) => Path.GetFullPath(Text(name));

    /// <summary>A non-empty array of non-empty strings (a command line, one argument each).</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        var value = Required(name);
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
            && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && e.GetString()!.Length > 0))
        {
            return value.EnumerateArray().Select(e => e.GetString()!).ToList();
        }

        throw Usage($"{_tool}: {name} must be a non-empty array of non-empty strings (got {value.GetRawText()})");
    }

    private JsonElement Required(string name) =>
        _values.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Usage($"{_tool}: {name} is required");

    private static long? WholeNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static AdvisorException Usage(string message) => new(FailureKind.Usage, message);
}
