using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// dotnet-advisor as a CI gate around a real test run (docs/ci.md): `run --fail-on warning -- dotnet test` on
/// samples/LedgerTests, an xunit project outside Advisor.sln, whose tests run in a testhost two processes
/// below the command. The project is built and tested in a copy (<see cref="LedgerTestsBuild"/>): its builds, test
/// results and reports stay in a temp directory.
/// </summary>
public sealed class TestRunTests : IClassFixture<TestRunTests.LedgerTestsBuild>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    private readonly LedgerTestsBuild build;

    public TestRunTests(LedgerTestsBuild build) => this.build = build;

    /// <summary>
    /// The SDK's own settings, quiet; and no build server left running after a test (MSBuild nodes, the
    /// compiler server): the tests stop what they start.
    /// </summary>
    private static IReadOnlyDictionary<string, string> SdkEnvironment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
    };

    private string LedgerTests => Path.Combine(build.Root.FullName, "samples", "LedgerTests");

    [SkippableFact]
    public void A_clean_test_run_passes_the_warning_gate_and_its_testhost_is_in_the_thread_table()
    {
        var (result, report) = RunReleaseTests("Buffering=Buffered");

        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        Warnings(report).ShouldBeEmpty();
        report.Threads.Select(t => t.TryGetProperty("process", out var p) ? p.GetString() : null).ShouldContain("testhost");
    }

    [SkippableFact]
    public void An_unbuffered_export_test_fails_the_warning_gate_with_ADV002_in_the_testhost_naming_the_test()
    {
        var (result, report) = RunReleaseTests("Buffering=Unbuffered");

        result.ExitCode.ShouldBe(1, result.Stdout + result.Stderr);
        var finding = report.Findings("ADV002").Where(IsWarningOrAbove).ShouldHaveSingleItem();
        var message = finding.GetProperty("message").GetString()!;
        finding.GetProperty("evidence").GetProperty("count").GetInt64().ShouldBe(50_000, message);
        finding.GetProperty("process").GetProperty("name").GetString().ShouldBe("testhost", message);
        finding.GetProperty("stacks").EnumerateArray()
            .SelectMany(s => s.GetProperty("frames").EnumerateArray().Select(f => f.GetString()!))
            .ShouldContain(f => f.Contains("LedgerTests.ExportTests.Export_writes_every_line_unbuffered", StringComparison.Ordinal), message);
    }

    [SkippableFact]
    public void The_command_docs_ci_md_gives_builds_and_passes_with_at_most_info_findings_that_say_they_are_not_your_code()
    {
        Privileges.RequireTracing();
        // As written in docs/ci.md, from the repository's root (the copy's): a Debug build of the project (MSBuild
        // and the compiler under the tool too), then its test.
        var report = Path.Combine(build.Root.FullName, "advisor.json");
        try
        {
            var result = ProcessRunner.Run(
                RepoLayout.Tool,
                ["run", "--fail-on", "warning", "-o", "advisor.json", "--", "dotnet", "test", "samples/LedgerTests", "--filter", "Buffering=Buffered"],
                Generous,
                build.Root.FullName,
                SdkEnvironment);

            result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
            var findings = ReportJson.Load(report).Root.GetProperty("findings").EnumerateArray().ToList();
            findings.Where(IsWarningOrAbove).Select(Describe).ShouldBeEmpty();
            findings.Select(f => f.GetProperty("message").GetString()!)
                .Where(m => !m.EndsWith("not your code", StringComparison.Ordinal))
                .ShouldBeEmpty();
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>`run --fail-on warning -q` around `dotnet test` of the Release build, one trait's tests.</summary>
    private (ProcessResult Result, ReportJson Report) RunReleaseTests(string filter)
    {
        Privileges.RequireTracing();
        build.Result.ExitCode.ShouldBe(0, "dotnet build samples/LedgerTests -c Release:\n" + build.Result.Stdout + build.Result.Stderr);
        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            var result = ProcessRunner.Run(
                RepoLayout.Tool,
                ["run", "--fail-on", "warning", "-q", "-o", report, "--", "dotnet", "test", LedgerTests, "-c", "Release", "--no-build", "--filter", filter],
                Generous,
                dir.FullName,
                SdkEnvironment);
            File.Exists(report).ShouldBeTrue($"no report written (exit {result.ExitCode}):\n{result.Stdout}{result.Stderr}");
            return (result, ReportJson.Load(report));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<string> Warnings(ReportJson report) =>
        report.Root.GetProperty("findings").EnumerateArray().Where(IsWarningOrAbove).Select(Describe).ToList();

    private static bool IsWarningOrAbove(System.Text.Json.JsonElement finding) =>
        finding.GetProperty("severity").GetString() is "warning" or "error";

    private static string Describe(System.Text.Json.JsonElement finding) =>
        $"{finding.GetProperty("ruleId").GetString()} {finding.GetProperty("severity").GetString()}: {finding.GetProperty("message").GetString()}";

    /// <summary>
    /// A copy of samples/LedgerTests (its sources, not its build) with the repository's settings it builds with, in a
    /// temp directory laid out as the repository is, built once in Release for the tests that run it with --no-build.
    /// </summary>
    public sealed class LedgerTestsBuild : IDisposable
    {
        public LedgerTestsBuild()
        {
            Root = Directory.CreateTempSubdirectory("advisor-ledgertests-");
            foreach (var settings in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig", Path.Combine("samples", "Directory.Build.props") })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root.FullName, settings))!);
                File.Copy(Path.Combine(RepoLayout.Root, settings), Path.Combine(Root.FullName, settings));
            }

            var source = Path.Combine(RepoLayout.Root, "samples", "LedgerTests");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
                {
                    continue;
                }

                var copy = Path.Combine(Root.FullName, "samples", "LedgerTests", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            Result = ProcessRunner.Run("dotnet", ["build", Path.Combine("samples", "LedgerTests"), "-c", "Release"], Generous, Root.FullName, SdkEnvironment);
        }

        /// <summary>The copy's root: what the repository's root is to the original.</summary>
        public DirectoryInfo Root { get; }

        internal ProcessResult Result { get; }

        public void Dispose() => Root.Delete(recursive: true);
    }
}
