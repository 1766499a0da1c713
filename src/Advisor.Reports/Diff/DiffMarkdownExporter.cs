using Advisor.Core.Comparison.Exporters;

namespace Advisor.Reports.Diff;

/// <summary><c>diff -o NAME.md</c>: the diff as tables for a pull-request comment.</summary>
public sealed class DiffMarkdownExporter : IDiffExporter
{
    public string Name => "markdown";

    public IReadOnlyList<string> Extensions { get; } = [".md"];

    public string Description => "the findings fixed, new and still there, and the syscalls, as Markdown tables for a pull-request comment";

    public void Write(DiffContext context, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(context);
        DiffMarkdownWriter.Write(context.Diff, stream);
    }
}
