using System.Text.Json;
using System.Text.Json.Serialization;

namespace Advisor.Reports.Json;

/// <summary>
/// Writes every double rounded to 3 decimals: the measurements behind them (clock ticks, sampled durations)
/// carry no more precision than that, and 912.123 reads and diffs better than 912.1234567000001.
/// </summary>
internal sealed class RoundedDoubleConverter : JsonConverter<double>
{
    private const int Decimals = 3;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);

        // JSON has no NaN or infinity; the aggregator guards its divisions, so one here is a bug upstream.
        if (!double.IsFinite(value))
        {
            throw new JsonException($"The report holds a non-finite number ({value}), which JSON cannot represent.");
        }

        var rounded = Math.Round(value, Decimals, MidpointRounding.AwayFromZero);

        // Rounding a tiny negative value gives -0, which would print as "-0".
        writer.WriteNumberValue(rounded == 0 ? 0d : rounded);
    }
}
