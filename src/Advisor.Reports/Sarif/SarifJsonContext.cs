using System.Text.Json.Serialization;
using Advisor.Reports.Json;

namespace Advisor.Reports.Sarif;

/// <summary>
/// Compile-time serialization metadata for the SARIF log, so writing it needs no reflection (trim- and
/// AOT-safe): camelCase names as SARIF spells them, absent members omitted, numbers to 3 decimals as in the
/// JSON report. The encoder, which the attribute cannot set, is added by <see cref="SarifReportWriter"/>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NewLine = "\n",
    RespectNullableAnnotations = true,
    Converters = [typeof(RoundedDoubleConverter)])]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJsonContext : JsonSerializerContext;
