using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Advisor.Core.Comparison;

namespace Advisor.Reports.Diff;

/// <summary>The diff as JSON, in the shape <c>schemas/diff.schema.json</c> publishes.</summary>
public static class DiffJsonWriter
{
    private static readonly JsonTypeInfo<RunDiff> TypeInfo = (JsonTypeInfo<RunDiff>)new JsonSerializerOptions(DiffJsonContext.Default.Options)
    {
        // As the report: ×, µ and → as themselves, not \\u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(RunDiff));

    public static string Serialize(RunDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return JsonSerializer.Serialize(diff, TypeInfo);
    }

    /// <summary>Writes UTF-8 and a final newline; the stream stays open (it may be stdout).</summary>
    public static void Write(RunDiff diff, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(stream);
        JsonSerializer.Serialize(stream, diff, TypeInfo);
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }
}
