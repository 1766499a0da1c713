using System.Diagnostics.CodeAnalysis;

namespace Advisor.UnitTests.Support;

/// <summary>
/// What a test does when something it needs is missing here (a capability, a tool, a kernel feature, runtime
/// data it waited for): skipped on a developer's machine, failed in CI — ADVISOR_CI=1, which .ci/run sets, or
/// ADVISOR_REQUIRE_PRIVILEGED=1 — where a skip would be a test that silently never ran. Linked into the
/// integration tests too, so both suites answer to the same switch.
/// </summary>
internal static class Prerequisite
{
    /// <summary>Whether a skip must fail: the CI run, where every prerequisite is installed on purpose.</summary>
    public static bool InCi =>
        Environment.GetEnvironmentVariable("ADVISOR_CI") == "1" || Environment.GetEnvironmentVariable("ADVISOR_REQUIRE_PRIVILEGED") == "1";

    /// <param name="present">Whether the prerequisite is there.</param>
    /// <param name="missing">What is missing, as the skip reason (or the failure) says it.</param>
    public static void Require([DoesNotReturnIf(false)] bool present, string missing)
    {
        if (!present)
        {
            SkipOrFail(missing);
        }
    }

    /// <summary>Skips the test; in CI fails it, naming what was missing.</summary>
    [DoesNotReturn]
    public static void SkipOrFail(string missing) =>
        throw (InCi ? new InvalidOperationException($"in CI (ADVISOR_CI=1 or ADVISOR_REQUIRE_PRIVILEGED=1) a test may not be skipped, but {missing}") : new SkipException(missing));
}
