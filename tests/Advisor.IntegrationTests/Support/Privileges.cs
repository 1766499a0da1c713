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

    public static void RequireTool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name)));
        if (found)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("ADVISOR_REQUIRE_PRIVILEGED") == "1")
        {
            throw new InvalidOperationException($"ADVISOR_REQUIRE_PRIVILEGED=1 but '{name}' is not installed");
        }

        Skip.If(true, $"'{name}' is not installed");
    }

    /// <summary>The effective uid: the second number of the Uid line of /proc/self/status.</summary>
    private static uint GetEuid() =>
        uint.Parse(
            File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2],
            System.Globalization.CultureInfo.InvariantCulture);
}
