using System.Text.Json;
using System.Text.Json.Serialization;

namespace Advisor.Core.Recording;

/// <summary>
/// A question as the .advisor file spells it: one letter ("d", "f", "t", "o"), as recordings have always been
/// written, so older files replay and a recording stays small (there is one answer per fd and thread).
/// </summary>
internal sealed class IntrospectionQuestionLetter : JsonConverter<IntrospectionQuestion>
{
    public override IntrospectionQuestion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "d" => IntrospectionQuestion.DescribeFd,
            "f" => IntrospectionQuestion.FdOpenFlags,
            "t" => IntrospectionQuestion.ThreadName,
            "o" => IntrospectionQuestion.PathGivenToOpen,
            var other => throw new JsonException($"unknown question '{other}'"),
        };

    public override void Write(Utf8JsonWriter writer, IntrospectionQuestion value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value switch
        {
            IntrospectionQuestion.DescribeFd => "d",
            IntrospectionQuestion.FdOpenFlags => "f",
            IntrospectionQuestion.ThreadName => "t",
            _ => "o",
        });
    }
}
