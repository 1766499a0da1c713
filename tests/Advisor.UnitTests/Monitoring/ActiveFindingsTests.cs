using Advisor.Core.Findings;
using Advisor.Core.Monitoring;

namespace Advisor.UnitTests.Monitoring;

/// <summary>Findings in force while a process is watched: raised once, kept while seen, cleared when gone.</summary>
public class ActiveFindingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static Finding Finding(string rule, int pid, string path, long count = 100) => new(
        rule,
        "name",
        Severity.Warning,
        "title",
        $"pwrite64 ×{count} on {path}",
        new Evidence { Syscalls = ["pwrite64"], Count = count, Path = path },
        null,
        [],
        1,
        count,
        "",
        [])
    {
        Process = new ProcessRef(pid, "app"),
    };

    private static DateTimeOffset At(int interval) => T0.AddSeconds(10 * interval);

    [Fact]
    public void A_finding_is_raised_once_stays_active_while_seen_and_is_cleared_when_it_is_not()
    {
        var active = new ActiveFindings();

        active.Update([Finding("ADV002", 10, "/a.log", 100)], At(0)).ShouldHaveSingleItem().Change.ShouldBe(FindingChange.Raised);
        active.Update([Finding("ADV002", 10, "/a.log", 250)], At(1)).ShouldBeEmpty(); // the same finding, new numbers
        active.Current.ShouldHaveSingleItem().Finding.Evidence.Count.ShouldBe(250);

        var cleared = active.Update([], At(2)).ShouldHaveSingleItem();
        (cleared.Change, cleared.Since, cleared.At).ShouldBe((FindingChange.Cleared, At(0), At(2)));
        active.Current.ShouldBeEmpty();
    }

    [Fact]
    public void Findings_of_another_file_rule_or_process_are_other_findings()
    {
        var active = new ActiveFindings();

        var raised = active.Update([Finding("ADV002", 10, "/a.log"), Finding("ADV002", 10, "/b.log"), Finding("ADV006", 10, "/a.log"), Finding("ADV002", 11, "/a.log")], At(0));

        raised.Count.ShouldBe(4);
        raised.ShouldAllBe(t => t.Change == FindingChange.Raised);
    }

    [Fact]
    public void With_clear_after_two_a_finding_missed_once_stays_active()
    {
        var active = new ActiveFindings(clearAfter: 2);
        active.Update([Finding("ADV002", 10, "/a.log")], At(0));

        active.Update([], At(1)).ShouldBeEmpty();
        active.Update([Finding("ADV002", 10, "/a.log")], At(2)).ShouldBeEmpty(); // back: not raised again
        active.Update([], At(3)).ShouldBeEmpty();
        active.Update([], At(4)).ShouldHaveSingleItem().Change.ShouldBe(FindingChange.Cleared);
    }

    [Fact]
    public void A_finding_of_a_process_no_longer_watched_is_cleared_at_once()
    {
        var active = new ActiveFindings(clearAfter: 5);
        active.Update([Finding("ADV002", 10, "/a.log"), Finding("ADV002", 11, "/a.log")], At(0));

        var cleared = active.Update([], At(1), pids: new HashSet<int> { 11 }).ShouldHaveSingleItem();

        cleared.Finding.Process!.Pid.ShouldBe(10);
        active.Current.ShouldHaveSingleItem().Finding.Process!.Pid.ShouldBe(11);
    }

    [Fact]
    public void Clearing_all_clears_every_active_finding_once_with_when_it_was_raised()
    {
        var active = new ActiveFindings();
        active.Update([Finding("ADV002", 10, "/a.log"), Finding("ADV007", 10, "/b.log")], At(0));

        var cleared = active.ClearAll(At(1));

        cleared.Select(c => (c.Change, c.Finding.RuleId, c.Since)).ShouldBe(
            [(FindingChange.Cleared, "ADV002", At(0)), (FindingChange.Cleared, "ADV007", At(0))], ignoreOrder: true);
        active.Current.ShouldBeEmpty();
        active.ClearAll(At(2)).ShouldBeEmpty();
    }

    [Fact]
    public void A_finding_without_a_path_stays_the_same_one_when_its_syscalls_change()
    {
        var active = new ActiveFindings();
        Finding Blocking(params string[] syscalls) => Finding("ADV013", 10, "/x") with { Evidence = new Evidence { Syscalls = syscalls, Count = 1 } };

        active.Update([Blocking("poll")], At(0)).ShouldHaveSingleItem().Change.ShouldBe(FindingChange.Raised);

        active.Update([Blocking("read", "poll")], At(1)).ShouldBeEmpty();
    }
}
