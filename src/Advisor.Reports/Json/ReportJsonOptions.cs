using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Advisor.Core.Findings;
using Advisor.Core.Reporting;

namespace Advisor.Reports.Json;

/// <summary>The report's serialization settings: the generated context plus what its attribute cannot express.</summary>
internal static class ReportJsonOptions
{
    public static JsonTypeInfo<AdvisorReport> Report { get; } = (JsonTypeInfo<AdvisorReport>)Create(indented: true).GetTypeInfo(typeof(AdvisorReport));

    /// <summary>One element of the report's <c>findings[]</c>, on one line: what monitor's OTLP log records carry.</summary>
    public static JsonTypeInfo<Finding> Finding { get; } = (JsonTypeInfo<Finding>)Create(indented: false).GetTypeInfo(typeof(Finding));

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(ReportJsonContext.Default.Options)
        {
            // Reports are files and terminal output, never embedded in HTML: write ×, µ, <T> and & as
            // themselves rather than as \u escapes nobody can read.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = ReportJsonContext.Default.WithAddedModifier(RequireNonNullableProperties),
            WriteIndented = indented,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Only nullable members may be absent when reading: a baseline or re-analysed report missing "count" or
    /// "findings" is damaged, and should fail here with the field's name rather than later as a zero or a
    /// null reference. (RespectRequiredConstructorParameters cannot say this: it would also demand the
    /// nullable members, such as "fd", that the writer omits.)
    /// </summary>
    private static void RequireNonNullableProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (!property.IsSetNullable)
            {
                property.IsRequired = true;
            }
        }
    }
}
