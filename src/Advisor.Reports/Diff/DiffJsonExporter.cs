using Advisor.Core.Comparison.Exporters;

namespace Advisor.Reports.Diff;

/// <summary><c>diff -o NAME.json</c> and <c>diff --format json</c>: the diff as <c>schemas/diff.schema.json</c> publishes it.</summary>
public sealed class DiffJsonExporter : IDiffExporter
{
    public string Name => "json";

    public IReadOnlyList<string> Extensions { get; } = [".json"];

    public string Description => "the diff in the published schema (`schemas/diff.schema.json`): scripts, assistants";

    public void Write(DiffContext context, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(context);
        DiffJsonWriter.Write(context.Diff, stream);
    }
}
