namespace Advisor.IntegrationTests.Support;

/// <summary>
/// Tests that trace need perf tracepoints (root or CAP_PERFMON). Without them they are skipped — except in
/// CI, where ADVISOR_REQUIRE_PRIVILEGED=1 turns a skip into a failure so they can never silently not run.
/// </summary>
internal static class Privileges
{
    public static void RequireTracing()
    {
        var root = GetEuid() == 0;
        if (root)
        {
            return;
        }

        const string why = "tracing needs root or CAP_PERFMON + CAP_SYS_PTRACE";
        if (Environment.GetEnvironmentVariable("ADVISOR_REQUIRE_PRIVILEGED") == "1")
        {
            throw new InvalidOperationException($"ADVISOR_REQUIRE_PRIVILEGED=1 but {why}");
        }

        Skip.If(true, why);
    }

    public static void RequireTool(string name) =>
        RequireInstalled($"'{name}'", (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name))));

    /// <summary>Skips the test when something it needs is not installed (a tool, a server); in CI, fails it.</summary>
    /// <param name="what">What is missing, as the skip reason names it.</param>
    public static void RequireInstalled(string what, bool installed)
    {
        if (installed)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("ADVISOR_REQUIRE_PRIVILEGED") == "1")
        {
            throw new InvalidOperationException($"ADVISOR_REQUIRE_PRIVILEGED=1 but {what} is not installed");
        }

        Skip.If(true, $"{what} is not installed");
    }

    public static bool IsRoot => GetEuid() == 0;

    /// <summary>The effective uid: the second number of the Uid line of /proc/self/status.</summary>
    private static uint GetEuid() =>
        uint.Parse(
            File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2],
            System.Globalization.CultureInfo.InvariantCulture);
}
