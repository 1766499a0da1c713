using Advisor.IntegrationTests.Support;

namespace Advisor.IntegrationTests;

/// <summary>
/// A drop folder polled by listing it (samples/Scenarios --scenario drop-folder). Which rules it triggers, and
/// that its fixed twin (a FileSystemWatcher) triggers none, is <see cref="RuleMatrixTests"/>'s; here, that the
/// advice fits a directory: a FileSystemWatcher, never the advice written for a file or for a condition another
/// thread sets.
/// </summary>
public sealed class DropFolderTests
{
    [SkippableFact]
    public void A_folder_listed_between_sleeps_is_advised_a_FileSystemWatcher_not_to_keep_a_file_open_nor_to_signal_an_event()
    {
        var traced = TracedSample.Run("Scenarios", "--scenario", "drop-folder");

        traced.Result.ExitCode.ShouldBe(0, traced.Result.Stderr);
        var churn = traced.Report.Findings("ADV007").ShouldHaveSingleItem();
        var message = churn.GetProperty("message").GetString()!;
        // The folder, marked as one (a directory's description ends in '/').
        churn.GetProperty("evidence").GetProperty("path").GetString()!.ShouldEndWith("/", customMessage: message);
        message.ShouldContain("Scenarios.DropFolder.Poll");
        ShouldAdviseAWatcher(churn, "Keep the file open");

        var sleeps = traced.Report.Findings("ADV009").ShouldHaveSingleItem();
        sleeps.GetProperty("message").GetString()!.ShouldContain("Scenarios.DropFolder.Poll");
        ShouldAdviseAWatcher(sleeps, "signal an event");
    }

    private static void ShouldAdviseAWatcher(System.Text.Json.JsonElement finding, string adviceForAnotherKind)
    {
        var advice = finding.GetProperty("advice").EnumerateArray().Select(a => a.GetProperty("text").GetString()!).ToList();
        var all = string.Join(" | ", advice);
        advice[0].ShouldContain("FileSystemWatcher", customMessage: all);
        all.ShouldNotContain(adviceForAnotherKind, Case.Insensitive, all);
    }
}
