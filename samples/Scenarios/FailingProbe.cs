namespace Scenarios;

/// <summary>
/// ADV008 failing-syscalls: each operation looks for its settings file by trying to open it in a list of
/// directories where it is not (one failing openat and one exception per try). The fixed twin resolves the
/// file once and reads it from where it is.
/// </summary>
internal static class FailingProbe
{
    private static readonly string[] SearchPath = ["/nonexistent/advisor/a", "/nonexistent/advisor/b"];

    /// <returns>Operations done, and the failing opens the loop made.</returns>
    public static (long Done, long Syscalls) Run(int operations, bool isFixed)
    {
        long done = 0, failures = 0;
        string? resolved = isFixed ? Resolve(ref failures) : null;
        for (int i = 0; i < operations; i++)
        {
            var settings = isFixed ? resolved : Resolve(ref failures);
            done += settings is null ? 1 : 0;
        }

        return (done, failures);
    }

    /// <summary>Tries each directory in turn; none holds the file, so each try fails with ENOENT.</summary>
    private static string? Resolve(ref long failures)
    {
        foreach (var dir in SearchPath)
        {
            try
            {
                return File.ReadAllText(Path.Combine(dir, "settings.json"));
            }
            catch (DirectoryNotFoundException)
            {
                failures++;
            }
        }

        return null;
    }
}
