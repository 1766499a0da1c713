using Advisor.Core.Failures;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Cli.Output;

/// <summary>Choosing among a command's formats by a file's ending or by name, the same for reports and diffs.</summary>
internal static class FileFormats
{
    /// <summary>The endings, for help and errors: <c>.json, .sarif, .sarif.json, …</c>.</summary>
    public static string Endings<T>(IEnumerable<T> formats)
        where T : IFileFormat => string.Join(", ", formats.SelectMany(e => e.Extensions));

    /// <summary>The format a path's ending chooses: the longest ending that matches (<c>.trace.json</c> before <c>.json</c>).</summary>
    /// <exception cref="AdvisorException">No format has that ending: exit 2, naming those that do.</exception>
    public static T ByEnding<T>(IReadOnlyList<T> formats, string path)
        where T : IFileFormat
    {
        ArgumentNullException.ThrowIfNull(path);
        return formats
            .SelectMany(e => e.Extensions.Select(x => (Format: e, Extension: x)))
            .Where(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.Extension.Length)
            .Select(e => e.Format)
            .FirstOrDefault()
            ?? throw new AdvisorException(FailureKind.Usage, $"cannot write '{path}': the formats are {Endings(formats)}");
    }

    /// <summary>The format <c>--format NAME</c> prints.</summary>
    /// <exception cref="AdvisorException">No such printable format: exit 2, naming those there are.</exception>
    public static T ByName<T>(IReadOnlyList<T> printable, string name)
        where T : IFileFormat =>
        printable.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new AdvisorException(FailureKind.Usage, $"--format '{name}' is not supported: use {string.Join(", ", printable.Select(e => e.Name))}");
}
