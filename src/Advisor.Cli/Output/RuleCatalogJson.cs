using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Threads;

namespace Advisor.Cli.Output;

/// <summary>
/// <c>rules list --format json</c> (<c>{"rules": [{id, name, title, severity, category}]}</c>) and
/// <c>rules explain ID --format json</c> (one rule with everything the console explanation shows).
/// </summary>
internal static class RuleCatalogJson
{
    public static void WriteList(IEnumerable<RuleDefinition> rules, Stream stream) => Write(stream, json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            Heading(json, rule);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static void WriteRule(RuleDefinition rule, Stream stream) => Write(stream, json =>
    {
        json.WriteStartObject();
        Heading(json, rule);
        json.WriteString("description", rule.Description);
        json.WriteString("groupBy", rule.GroupByText);
        json.WriteBoolean("fallback", rule.Fallback);
        Strings(json, "syscalls", rule.Syscalls);
        Strings(json, "excludedSyscalls", rule.ExcludedSyscalls);
        Strings(json, "threadRoles", rule.ThreadRoles.Select(ThreadRoles.Display));
        if (rule.Analyser is { } analyser)
        {
            json.WriteString("hangAnalyser", analyser);
        }

        json.WriteStartObject("thresholds");
        foreach (var (name, value) in rule.Thresholds)
        {
            json.WriteString(name, rule.ThresholdText.GetValueOrDefault(name) ?? value.ToString(CultureInfo.InvariantCulture));
        }

        json.WriteEndObject();
        if (rule.Condition is { } condition)
        {
            json.WriteString("when", condition.When.Text);
            json.WriteString("avoidableCalls", condition.AvoidableCalls.Text);
            if (condition.AvoidableWaitMs is { } waitMs)
            {
                json.WriteString("avoidableWaitMs", waitMs.Text);
            }

            if (condition.AvoidableWorkMs is { } workMs)
            {
                json.WriteString("avoidableWorkMs", workMs.Text);
            }

            json.WriteString("message", condition.Message.Text);
        }

        json.WriteStartArray("advice");
        foreach (var entry in rule.Advice)
        {
            json.WriteStartObject();
            Strings(json, "when", entry.Conditions(p => $"/{p}/"));
            json.WriteString("text", entry.Advice.Text);
            if (entry.Advice.Before is { } before)
            {
                json.WriteString("before", before);
            }

            if (entry.Advice.After is { } after)
            {
                json.WriteString("after", after);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("source", rule.Source);
        json.WriteEndObject();
    });

    private static void Heading(Utf8JsonWriter json, RuleDefinition rule)
    {
        json.WriteString("id", rule.Id);
        json.WriteString("name", rule.Name);
        json.WriteString("title", rule.Title);
        json.WriteString("severity", SeverityNames.Display(rule.Severity));
        json.WriteString("category", rule.Category);
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Write(Stream stream, Action<Utf8JsonWriter> body)
    {
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(json);
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }
}
