using Advisor.Cli.Sessions;
using Advisor.Runtime.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Advisor.UnitTests.Monitoring;

/// <summary>
/// The runtime's sessions stay open between monitor's windows, so monitor asks only for what its rules read.
/// </summary>
public class MonitorRuntimePartsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Monitor_asks_for_no_collection_or_exception_event(bool poolEvents)
    {
        var parts = ProcessWatch.RuntimeParts(poolEvents);

        RuntimeProviders.Informational(parts).ShouldBeNull("the GC and exceptions have no session under monitor");
        var runtime = RuntimeProviders.Events(parts).Providers.Single(p => p.Name == RuntimeProviders.RuntimeProvider);
        (runtime.Keywords & (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.Exception)).ShouldBe(0);
    }

    [Fact]
    public void Monitor_asks_for_what_its_rules_and_frames_read()
    {
        var parts = ProcessWatch.RuntimeParts(poolEvents: false);

        // ADV004 (contention and its stacks), the blocking waits, the requests ADV001 weighs a server's calls
        // against, and method loads that name frames compiled after the attach.
        parts.ShouldBe(RuntimeEventParts.Contention | RuntimeEventParts.Waits | RuntimeEventParts.Requests | RuntimeEventParts.Jit);
        RuntimeProviders.Contention(parts).ShouldNotBeNull().RequestStackwalk.ShouldBeTrue();
    }

    [Fact]
    public void The_pool_s_own_events_only_with_pool_events()
    {
        ProcessWatch.RuntimeParts(poolEvents: false).HasFlag(RuntimeEventParts.ThreadPool).ShouldBeFalse();
        ProcessWatch.RuntimeParts(poolEvents: true).ShouldBe(ProcessWatch.RuntimeParts(poolEvents: false) | RuntimeEventParts.ThreadPool);
    }
}
