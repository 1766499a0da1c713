using Advisor.Core.Failures;
using Advisor.Core.Reporting.Exporters;

namespace Advisor.Cli.Output;

/// <summary>Writes -o files: each through the format its ending chooses (<see cref="ReportExporters"/>), atomically.</summary>
internal static class ReportFiles
{
    /// <summary>
    /// Fails now, naming the fix, when the file could not be created: not after a recording of minutes that then
    /// has nowhere to go.
    /// </summary>
    public static void CheckDestination(string path)
    {
        ReportExporters.For(path);
        RequireDirectory(path);
    }

    /// <summary>Fails now when the file's directory does not exist (any command's -o, whatever its formats).</summary>
    public static void RequireDirectory(string path)
    {
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
    public static void Write(ReportContext context, string path) => WriteAtomically(path, stream => ReportExporters.For(path).Write(context, stream));

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
