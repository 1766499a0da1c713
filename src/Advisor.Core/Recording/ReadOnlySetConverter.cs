using System.Text.Json;
using System.Text.Json.Serialization;

namespace Advisor.Core.Recording;

/// <summary>System.Text.Json writes an <see cref="IReadOnlySet{T}"/> as an array but cannot make one back.</summary>
internal sealed class ReadOnlySetConverter : JsonConverter<IReadOnlySet<int>>
{
    public override IReadOnlySet<int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<HashSet<int>>(ref reader, options) ?? [];

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<int> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var item in value.Order())
        {
            writer.WriteNumberValue(item);
        }

        writer.WriteEndArray();
    }
}
