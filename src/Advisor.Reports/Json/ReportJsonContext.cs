using System.Text.Json.Serialization;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;

namespace Advisor.Reports.Json;

/// <summary>
/// Compile-time serialization metadata for the report, so writing it needs no reflection (trim- and AOT-safe).
/// The attribute holds every setting the generator can see; the few it cannot (encoder, strict reading) are
/// layered on in <see cref="ReportJsonOptions"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NewLine = "\n",
    RespectNullableAnnotations = true,
    Converters = [typeof(RoundedDoubleConverter), typeof(SeverityJsonConverter)])]
[JsonSerializable(typeof(AdvisorReport))]
[JsonSerializable(typeof(Finding))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
