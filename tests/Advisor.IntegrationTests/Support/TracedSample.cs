namespace Advisor.IntegrationTests.Support;

/// <summary>A sample run under `dotnet-advisor run`, with the JSON report and the sample's own account.</summary>
internal sealed record TracedSample(ProcessResult Result, ReportJson Report, SampleSummary Summary)
{
    public static TracedSample Run(string sample, params string[] sampleArguments) => RunWith([], sample, sampleArguments);

    /// <param name="toolOptions">More options for `dotnet-advisor run` (a backend, stack mode).</param>
    public static TracedSample RunWith(string[] toolOptions, string sample, params string[] sampleArguments) =>
        RunWith(toolOptions, [], sample, sampleArguments);

    /// <param name="launcher">A command that execs the sample (`nice -n -10`): the tool launches it, the pid stays the sample's.</param>
    public static TracedSample RunWith(string[] toolOptions, string[] launcher, string sample, params string[] sampleArguments)
    {
        if (Array.IndexOf(toolOptions, "--backend") is var at and >= 0)
        {
            Privileges.RequireBackend(toolOptions[at + 1]);
        }
        else
        {
            Privileges.RequireTracing();
        }

        var dir = Directory.CreateTempSubdirectory("advisor-it-");
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            string[] outputs = [.. WriterChecks.Outputs.SelectMany(o => new[] { "-o", Path.Combine(dir.FullName, o) })];
            string[] arguments = ["run", "-q", .. toolOptions, .. outputs, "--", .. launcher, "dotnet", RepoLayout.Sample(sample), .. sampleArguments];
            var result = ProcessRunner.Advisor(arguments);
            if (!File.Exists(report))
            {
                throw new InvalidOperationException($"no report written (exit {result.ExitCode}):\n{result.Stderr}");
            }

            WriterChecks.Validate(dir.FullName);
            return new TracedSample(result, ReportJson.Load(report), SampleSummary.Parse(result.Stderr));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
