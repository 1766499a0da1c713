using Advisor.Core.Failures;
using Advisor.Core.Reporting;
using Advisor.Core.Rules;
using Advisor.Reports.Json;
using Advisor.Reports.Markdown;
using Advisor.Reports.Sarif;

namespace Advisor.Cli.Output;

/// <summary>Writes -o files, choosing the writer by extension.</summary>
internal static class ReportFiles
{
    public enum Format
    {
        Json,
        Markdown,

        /// <summary>A raw recording (<c>.advisor</c>), written by the recording session, read by <c>report</c>.</summary>
        Recording,

        /// <summary>A Chrome trace (<c>.trace.json</c>) of every syscall, for Perfetto and chrome://tracing.</summary>
        Trace,

        /// <summary>One self-contained page with the findings, a flame graph and a per-thread timeline.</summary>
        Html,

        /// <summary>SARIF 2.1.0 (<c>.sarif</c> or <c>.sarif.json</c>), which CI systems show as code-scanning results.</summary>
        Sarif,
    }

    public static bool IsRecording(string path) => path.EndsWith(".advisor", StringComparison.OrdinalIgnoreCase);

    public static bool IsTrace(string path) => path.EndsWith(".trace.json", StringComparison.OrdinalIgnoreCase);

    public static bool IsSarif(string path) => path.EndsWith(".sarif", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".sarif.json", StringComparison.OrdinalIgnoreCase);

    public static bool IsHtml(string path) => path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Outputs drawn from the raw events, written by the session that kept them, not by a report writer.</summary>
    public static bool NeedsEvents(string path) => IsRecording(path) || IsTrace(path) || IsHtml(path);

    public static Format FormatOf(string path)
    {
        // Before .json: a .sarif.json file is SARIF.
        if (IsSarif(path))
        {
            return Format.Sarif;
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".trace.json", StringComparison.OrdinalIgnoreCase))
        {
            return Format.Json;
        }

        if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return Format.Markdown;
        }

        if (IsRecording(path))
        {
            return Format.Recording;
        }

        if (IsTrace(path))
        {
            return Format.Trace;
        }

        if (IsHtml(path))
        {
            return Format.Html;
        }

        throw new AdvisorException(
            FailureKind.Usage,
            $"cannot write '{path}': this version writes .json, .md and .sarif reports, .html pages, .trace.json timelines and .advisor recordings");
    }

    /// <summary>
    /// Fails now, naming the fix, when the file could not be created: not after a recording of minutes that then
    /// has nowhere to go.
    /// </summary>
    public static void CheckDestination(string path)
    {
        FormatOf(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            throw new AdvisorException(FailureKind.Usage, $"cannot write '{path}': no directory '{directory}' (create it first)");
        }
    }

    /// <summary>
    /// Writes through a temporary file renamed into place: readers never see half a report, a failure
    /// leaves no partial file, and the file is created 0600 (reports name paths and endpoints).
    /// </summary>
    /// <param name="rules">The catalogue in force, which SARIF describes its rules from; null: the built-in one.</param>
    public static void Write(AdvisorReport report, string path, RuleCatalog? rules = null) => WriteAtomically(path, stream =>
    {
        switch (FormatOf(path))
        {
            case Format.Sarif:
                SarifReportWriter.Write(report, rules ?? RuleCatalog.BuiltIn(), stream);
                break;
            case Format.Json:
                JsonReportWriter.Write(report, stream);
                break;
            case Format.Markdown:
                MarkdownReportWriter.Write(report, stream);
                break;
        }
    });

    /// <summary>
    /// Creates the file through a temporary one (O_EXCL, 0600) renamed into place: a symlink at the path is
    /// replaced, never written through, and a failure leaves no partial file.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleting in a directory that is gone would throw in its turn, hiding the real problem.
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw new AdvisorException(FailureKind.Usage, $"cannot write '{path}': {e.Message}");
        }
    }
}
