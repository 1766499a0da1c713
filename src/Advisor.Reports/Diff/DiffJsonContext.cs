using System.Text.Json.Serialization;
using Advisor.Core.Comparison;
using Advisor.Reports.Json;

namespace Advisor.Reports.Diff;

/// <summary>Compile-time serialization metadata for the diff, with the report's conventions (camelCase, words for severities, 3 decimals).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NewLine = "\n",
    Converters = [typeof(RoundedDoubleConverter), typeof(SeverityJsonConverter), typeof(FindingStatusConverter)])]
[JsonSerializable(typeof(RunDiff))]
internal sealed partial class DiffJsonContext : JsonSerializerContext;

/// <summary>A finding's status as the schema spells it: "fixed", "new", "still".</summary>
internal sealed class FindingStatusConverter() : JsonStringEnumConverter<FindingStatus>(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false);
