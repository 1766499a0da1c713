using System.Text.Json;
using System.Text.Json.Serialization;
using Advisor.Core.Findings;

namespace Advisor.Reports.Json;

/// <summary>
/// Severity as the lowercase word users write in rule files and --fail-on ("error", "warning", "info"),
/// spelled by <see cref="SeverityNames"/> so the report and the command line cannot drift apart.
/// </summary>
internal sealed class SeverityJsonConverter : JsonConverter<Severity>
{
    public override Severity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

        // "none" only switches a rule off; a finding carrying it is not a finding, so the schema excludes it.
        if (!SeverityNames.TryParse(text, out var severity) || severity == Severity.None)
        {
            throw new JsonException("A finding's severity must be \"error\", \"warning\" or \"info\".");
        }

        return severity;
    }

    public override void Write(Utf8JsonWriter writer, Severity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);

        // The rule engine drops rules set to none before they can report; writing one would break the schema.
        if (value is not (Severity.Error or Severity.Warning or Severity.Info))
        {
            throw new JsonException($"A finding with severity {value} cannot be reported; only error, warning and info can.");
        }

        writer.WriteStringValue(SeverityNames.Display(value));
    }
}
