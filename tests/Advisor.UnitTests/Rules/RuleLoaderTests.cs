using Advisor.Core.Aggregation;
using Advisor.Core.Failures;
using Advisor.Core.Findings;
using Advisor.Core.Rules;
using Advisor.Core.Rules.Loading;
using Advisor.Core.Threads;

namespace Advisor.UnitTests.Rules;

public class RuleLoaderTests
{
    private const string Source = "team/TEAM001-chatty.yaml";

    /// <summary>A small valid rule; each test breaks one line of it.</summary>
    private const string Valid = """
        id: TEAM001
        name: chatty-writes
        title: Chatty writes
        severity: warning
        category: io
        syscalls: [write, pwrite64]
        groupBy: fd
        thresholds:
          minCalls: 1000
          maxAvgBytes: 256KiB
        when: count >= minCalls and avgBytes < maxAvgBytes
        avoidableCalls: count - 1
        message: "{syscall} ×{count} on {path}"
        advice:
          - text: Write less often.
          - match: { path: '^pipe:' }
            text: Buffer Console output.
        """;

    private static string With(string line, string replacement)
    {
        Valid.ShouldContain(line);
        return Valid.Replace(line, replacement, StringComparison.Ordinal);
    }

    private static AdvisorException Rejected(string yaml)
    {
        var e = Should.Throw<AdvisorException>(() => RuleLoader.Load(yaml, Source));
        e.Kind.ShouldBe(FailureKind.Usage);
        e.Message.ShouldStartWith($"invalid rule {Source}: ");
        e.Message.ShouldNotContain('\n');
        e.Message.ShouldNotContain('\r');
        return e;
    }

    // ---- the built-in catalogue ----

    [Fact]
    public void The_built_in_catalogue_loads_with_unique_ids()
    {
        var rules = RuleCatalog.BuiltIn().Rules;

        rules.Count.ShouldBeGreaterThanOrEqualTo(3);
        rules.Select(r => r.Id).ShouldBeUnique();
        rules.Select(r => r.Name).ShouldBeUnique();
        rules.Select(r => r.Id).ShouldContain("ADV001");
        rules.Select(r => r.Id).ShouldContain("ADV002");
        rules.Select(r => r.Id).ShouldContain("ADV006");
        rules.ShouldAllBe(r => r.Advice.Count > 0 && r.Title.Length > 0 && r.Severity != Severity.None);
    }

    [Fact]
    public void The_built_in_rules_say_what_they_look_at()
    {
        var catalog = RuleCatalog.BuiltIn();

        var storm = catalog.Find("ADV001").ShouldNotBeNull();
        storm.Fallback.ShouldBeTrue();
        storm.GroupBy.ShouldBe(GroupBy.Syscall);
        storm.ExcludedSyscalls.ShouldContain("futex");

        var writes = catalog.Find("unbuffered-writes").ShouldNotBeNull();
        writes.Id.ShouldBe("ADV002");
        writes.Fallback.ShouldBeFalse();
        writes.GroupBy.ShouldBe(GroupBy.Fd);
        writes.Syscalls.ShouldContain("pwrite64");
        writes.Thresholds["maxAvgBytes"].ShouldBe(512);

        var fsync = catalog.Find("adv006").ShouldNotBeNull();
        fsync.Thresholds["maxBytesPerSync"].ShouldBe(256 * 1024);
        fsync.Source.ShouldBe("rules/ADV006-fsync-storm.yaml");
    }

    // ---- a valid rule ----

    [Fact]
    public void A_valid_rule_loads_with_every_field()
    {
        var rule = RuleLoader.Load(Valid, Source);

        rule.Id.ShouldBe("TEAM001");
        rule.Name.ShouldBe("chatty-writes");
        rule.Title.ShouldBe("Chatty writes");
        rule.Severity.ShouldBe(Severity.Warning);
        rule.Category.ShouldBe("io");
        rule.Syscalls.ShouldBe(["write", "pwrite64"]);
        rule.ExcludedSyscalls.ShouldBeEmpty();
        rule.GroupBy.ShouldBe(GroupBy.Fd);
        rule.Fallback.ShouldBeFalse();
        rule.Condition!.Message.Text.ShouldBe("{syscall} ×{count} on {path}");
        rule.Advice.Count.ShouldBe(2);
        rule.Advice[0].IsGeneral.ShouldBeTrue();
        rule.Advice[1].Path.ShouldNotBeNull().IsMatch("pipe:[42]").ShouldBeTrue();
        rule.Source.ShouldBe(Source);
    }

    [Fact]
    public void An_advice_entry_may_name_the_kinds_of_fd_it_fits_and_the_calls_it_is_about()
    {
        var rule = RuleLoader.Load(With("  - match: { path: '^pipe:' }", "  - match: { fd: 'pipe | terminal', syscall: '^write$' }"), Source);

        rule.Advice[1].Fds.ShouldNotBeNull().Order().ShouldBe([FdKind.Pipe, FdKind.Terminal]);
        rule.Advice[1].Syscall.ShouldNotBeNull().IsMatch("write").ShouldBeTrue();
        rule.Advice[1].IsGeneral.ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_kind_of_fd_is_rejected_naming_the_known_ones()
    {
        Rejected(With("  - match: { path: '^pipe:' }", "  - match: { fd: folder }")).Message
            .ShouldContain("advice match fd: unknown kind 'folder' (kinds: none, file, directory, socket, pipe, terminal, device, event;");
    }

    [Fact]
    public void A_rule_whose_every_advice_entry_is_selected_is_rejected()
    {
        // A finding no selector picks would get no advice at all.
        Rejected(With("  - text: Write less often.", "  - match: { fd: file }\n    text: Write less often.")).Message
            .ShouldContain("advice: at least one entry must have no match:");
    }

    [Fact]
    public void A_threshold_with_a_unit_is_parsed_to_its_value()
    {
        RuleLoader.Load(Valid, Source).Thresholds.ShouldBe(
            new Dictionary<string, double> { ["minCalls"] = 1000, ["maxAvgBytes"] = 262_144 }, ignoreOrder: true);
    }

    [Theory]
    [InlineData("10ms", 10)]
    [InlineData("500us", 0.5)]
    [InlineData("2s", 2000)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("0.05", 0.05)]
    public void Thresholds_accept_the_expression_languages_units(string text, double expected)
    {
        var rule = RuleLoader.Load(With("maxAvgBytes: 256KiB", $"maxAvgBytes: {text}"), Source);

        rule.Thresholds["maxAvgBytes"].ShouldBe(expected, 1e-12);
    }

    [Fact]
    public void Avoidable_calls_default_to_every_call()
    {
        var rule = RuleLoader.Load(With("avoidableCalls: count - 1\n", ""), Source);

        rule.Condition!.AvoidableCalls.Identifiers.ShouldBe(["count"]);
    }

    [Fact]
    public void Group_by_defaults_to_syscall()
    {
        RuleLoader.Load(With("groupBy: fd\n", ""), Source).GroupBy.ShouldBe(GroupBy.Syscall);
    }

    // ---- invalid rules ----

    [Fact]
    public void A_rule_without_an_id_is_rejected()
    {
        Rejected(With("id: TEAM001\n", "")).Message.ShouldContain("'id' is required");
    }

    [Theory]
    [InlineData("ADV-002")]
    [InlineData("002")]
    [InlineData("ADV")]
    public void A_malformed_id_is_rejected(string id)
    {
        Rejected(With("id: TEAM001", $"id: \"{id}\"")).Message.ShouldContain($"id '{id}' must be letters then digits");
    }

    [Theory]
    [InlineData("critical")]
    [InlineData("none")] // suppression belongs in configuration, not in a rule
    public void A_bad_severity_is_rejected(string severity)
    {
        Rejected(With("severity: warning", $"severity: {severity}")).Message
            .ShouldContain($"severity '{severity}' must be error, warning or info");
    }

    [Fact]
    public void Thread_roles_restrict_a_rule_to_those_threads()
    {
        var rule = RuleLoader.Load(With("groupBy: fd\n", "groupBy: fd\nthreadRoles: [threadpool-worker, main]\n"), Source);

        rule.ThreadRoles.ShouldBe([ThreadRole.ThreadPoolWorker, ThreadRole.Main]);
    }

    [Fact]
    public void An_unknown_thread_role_is_rejected_naming_the_known_ones()
    {
        Rejected(With("groupBy: fd\n", "groupBy: fd\nthreadRoles: [pool]\n")).Message
            .ShouldContain("threadRoles: unknown role 'pool' (roles: other, main, threadpool-worker,");
    }

    [Fact]
    public void A_bad_group_by_is_rejected()
    {
        Rejected(With("groupBy: fd", "groupBy: callsite")).Message.ShouldContain("groupBy 'callsite' must be process, thread, fd, path, syscall, site, lockSite, threadPool or peer");
    }

    [Fact]
    public void An_unknown_metric_in_when_is_rejected_naming_it()
    {
        var e = Rejected(With("when: count >= minCalls", "when: count >= minCalls and avgSize < 10"));

        e.Message.ShouldContain("when: unknown metric or threshold 'avgSize'");
    }

    [Fact]
    public void An_unknown_identifier_in_avoidable_calls_is_rejected_naming_it()
    {
        Rejected(With("avoidableCalls: count - 1", "avoidableCalls: count - batches")).Message
            .ShouldContain("avoidableCalls: unknown metric or threshold 'batches'");
    }

    [Theory]
    [InlineData("when: count * 2")]
    [InlineData("when: 1000")]
    public void A_when_that_is_a_number_and_not_a_condition_is_rejected(string line)
    {
        Rejected(With("when: count >= minCalls and avgBytes < maxAvgBytes", line)).Message
            .ShouldContain("is a number, not a condition");
    }

    [Fact]
    public void Avoidable_calls_that_are_a_condition_are_rejected()
    {
        Rejected(With("avoidableCalls: count - 1", "avoidableCalls: count > 1")).Message
            .ShouldContain("avoidableCalls: 'count > 1' is a condition, not a number");
    }

    [Fact]
    public void A_when_that_does_not_parse_is_rejected()
    {
        Rejected(With("when: count >= minCalls and avgBytes < maxAvgBytes", "when: count >= ")).Message
            .ShouldStartWith($"invalid rule {Source}: when: ");
    }

    [Fact]
    public void A_missing_when_is_rejected()
    {
        Rejected(With("when: count >= minCalls and avgBytes < maxAvgBytes\n", "")).Message
            .ShouldContain("'when' is required");
    }

    [Fact]
    public void Bad_yaml_is_rejected_with_its_line()
    {
        // Line 6 opens a flow sequence that never closes.
        var e = Rejected(With("syscalls: [write, pwrite64]", "syscalls: [write, pwrite64"));

        e.Message.ShouldMatch(@"line \d+: ");
        e.Message.ShouldContain("line 6");
    }

    [Fact]
    public void An_unknown_field_is_rejected_with_its_line()
    {
        var e = Rejected(With("category: io", "categry: io"));

        e.Message.ShouldContain("line 5");
        e.Message.ShouldContain("categry");
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        Rejected("").Message.ShouldContain("the file is empty");
    }

    [Fact]
    public void An_unknown_placeholder_in_the_message_is_rejected()
    {
        Rejected(With("message: \"{syscall} ×{count} on {path}\"", "message: \"{syscall} ×{calls}\"")).Message
            .ShouldContain("message: unknown placeholder '{calls}'");
    }

    [Fact]
    public void An_unclosed_placeholder_in_the_message_is_rejected()
    {
        Rejected(With("message: \"{syscall} ×{count} on {path}\"", "message: \"{syscall} ×{count\"")).Message
            .ShouldContain("message: unclosed '{'");
    }

    [Theory]
    [InlineData("match: { path: '^pipe:' }", "match: { path: '^(pipe:' }", "advice match path")]
    [InlineData("match: { path: '^pipe:' }", "match: { frame: 'Serilog[' }", "advice match frame")]
    public void An_invalid_advice_regex_is_rejected(string line, string replacement, string field)
    {
        Rejected(With(line, replacement)).Message.ShouldContain($"{field}: invalid regular expression");
    }

    [Fact]
    public void A_rule_without_advice_is_rejected()
    {
        var yaml = Valid[..Valid.IndexOf("advice:", StringComparison.Ordinal)];

        Rejected(yaml).Message.ShouldContain("advice: a rule must say what to do");
    }

    [Fact]
    public void Advice_without_text_is_rejected()
    {
        Rejected(With("  - text: Write less often.", "  - before: x")).Message.ShouldContain("'advice text' is required");
    }

    [Fact]
    public void A_threshold_named_like_a_metric_is_rejected()
    {
        Rejected(With("  minCalls: 1000", "  minCalls: 1000\n  count: 5")).Message
            .ShouldContain("threshold 'count' has the name of a metric");
    }

    [Theory]
    [InlineData("count")]
    [InlineData("count > 5")]
    [InlineData("12 parsecs")]
    public void A_threshold_that_is_not_a_constant_number_is_rejected(string text)
    {
        Rejected(With("maxAvgBytes: 256KiB", $"maxAvgBytes: {text}")).Message.ShouldContain("threshold 'maxAvgBytes'");
    }

    // ---- rules decided by a hang analyser ----

    private const string StuckRule = """
        id: TEAM002
        name: slow-peer
        title: Waiting on a slow peer
        severity: warning
        analyser: stuck-io
        thresholds:
          minBlockedMs: 30s
        advice:
          - text: Give the call a deadline.
        """;

    [Fact]
    public void A_rule_can_hand_its_hang_verdict_to_an_analyser_by_name_with_its_own_thresholds()
    {
        var rule = RuleLoader.Load(StuckRule, Source);

        rule.Analyser.ShouldBe("stuck-io");
        rule.Condition.ShouldBeNull(); // nothing to decide over recordings
        rule.Thresholds["minBlockedMs"].ShouldBe(30_000);
    }

    [Fact]
    public void An_unknown_analyser_is_rejected_naming_the_known_ones()
    {
        Rejected(StuckRule.Replace("stuck-io", "hang", StringComparison.Ordinal))
            .Message.ShouldEndWith("analyser 'hang' must be one of lock-cycle, starved-pool, stuck-io");
    }

    [Fact]
    public void An_analyser_rule_without_a_threshold_the_analyser_reads_is_rejected_naming_it()
    {
        Rejected(StuckRule.Replace("minBlockedMs", "minStuckMs", StringComparison.Ordinal))
            .Message.ShouldContain("the stuck-io analyser reads 'minBlockedMs'");
    }

    [Fact]
    public void An_analyser_rule_with_a_message_but_no_when_is_rejected()
    {
        Rejected(StuckRule + "\nmessage: \"{count} stuck\"\n").Message.ShouldContain("message and avoidableCalls go with a when");
    }

    [Fact]
    public void A_rule_may_be_decided_both_by_a_condition_and_by_an_analyser()
    {
        var rule = RuleCatalog.BuiltIn().Find("ADV005")!;

        rule.Analyser.ShouldBe("starved-pool");
        rule.Condition.ShouldNotBeNull();
    }
}
