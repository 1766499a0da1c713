using Advisor.Core.Comparison.Exporters;

namespace Advisor.Reports.Diff;

/// <summary><c>diff -o NAME.html</c>: one self-contained page, the comparison above both runs side by side.</summary>
public sealed class DiffHtmlExporter : IDiffExporter
{
    public string Name => "html";

    public IReadOnlyList<string> Extensions { get; } = [".html", ".htm"];

    public string Description => "one self-contained page: the comparison, then both runs' findings and syscalls side by side";

    public void Write(DiffContext context, Stream stream) => DiffHtmlWriter.Write(context, stream);
}
