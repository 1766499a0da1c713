namespace Advisor.Runtime.EventPipe;

/// <summary>
/// Which <see cref="RuntimeEventParts"/> to ask for, from <c>ADVISOR_RUNTIME_EVENTS</c>: a hidden switch for
/// measuring what each part costs (bench/overhead/web.sh), not an option users need. Its value is a list of
/// parts, each taken from (<c>-part</c>) or added to (<c>+part</c>) the default, separated by commas or
/// nothing (<c>-contention-jit</c>); <c>none</c> asks for nothing (no runtime session at all), <c>all</c> for
/// every part.
/// </summary>
internal static class RuntimeEventSelection
{
    public const string Variable = "ADVISOR_RUNTIME_EVENTS";

    private static readonly Dictionary<string, RuntimeEventParts> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jit"] = RuntimeEventParts.Jit,
        ["gc"] = RuntimeEventParts.Gc,
        ["exceptions"] = RuntimeEventParts.Exceptions,
        ["threadpool"] = RuntimeEventParts.ThreadPool,
        ["workitems"] = RuntimeEventParts.WorkItems,
        ["requests"] = RuntimeEventParts.Requests,
        ["contention"] = RuntimeEventParts.Contention,
        ["waits"] = RuntimeEventParts.Waits,
    };

    /// <summary>The parts the environment asks for, and a note when it could not be read (the default is then used).</summary>
    /// <param name="defaults">What the command asks for when the environment says nothing, and what +part and -part change.</param>
    public static (RuntimeEventParts Parts, string? Note) FromEnvironment(RuntimeEventParts defaults = RuntimeEventParts.Default) =>
        Parse(Environment.GetEnvironmentVariable(Variable), defaults);

    public static (RuntimeEventParts Parts, string? Note) Parse(string? value, RuntimeEventParts defaults = RuntimeEventParts.Default)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (defaults, null);
        }

        var parts = defaults;
        var text = value.Trim();
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase) || text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return (text.Equals("none", StringComparison.OrdinalIgnoreCase) ? RuntimeEventParts.None : RuntimeEventParts.All, null);
        }

        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == ',')
            {
                i++;
                continue;
            }

            var sign = text[i];
            var end = text.IndexOfAny(['+', '-', ','], i + 1);
            var name = text[(i + 1)..(end < 0 ? text.Length : end)];
            if (sign is not ('+' or '-') || !Names.TryGetValue(name, out var part))
            {
                return (defaults, $"{Variable}={value} not understood: give +part or -part with parts {string.Join(", ", Names.Keys)}, or none or all; the default runtime events were asked for");
            }

            parts = sign == '+' ? parts | part : parts & ~part;
            i = end < 0 ? text.Length : end;
        }

        return (parts, null);
    }
}
