using Advisor.Runtime.EventPipe;

namespace Advisor.UnitTests.Runtime;

public class RuntimeEventSelectionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_is_the_default(string? value) =>
        RuntimeEventSelection.Parse(value).ShouldBe((RuntimeEventParts.Default, (string?)null));

    [Fact]
    public void Parts_are_taken_from_and_added_to_the_default_with_or_without_commas()
    {
        var (parts, note) = RuntimeEventSelection.Parse("-contention-JIT,+workitems");

        note.ShouldBeNull();
        parts.ShouldBe((RuntimeEventParts.Default & ~RuntimeEventParts.Contention & ~RuntimeEventParts.Jit) | RuntimeEventParts.WorkItems);
    }

    [Fact]
    public void None_and_all_stand_alone()
    {
        RuntimeEventSelection.Parse("none").Parts.ShouldBe(RuntimeEventParts.None);
        RuntimeEventSelection.Parse("all").Parts.ShouldBe(RuntimeEventParts.All);
    }

    [Theory]
    [InlineData("contention")]
    [InlineData("-locks")]
    [InlineData("-")]
    public void Anything_else_is_the_default_with_a_note_naming_the_parts(string value)
    {
        var (parts, note) = RuntimeEventSelection.Parse(value);

        parts.ShouldBe(RuntimeEventParts.Default);
        note.ShouldNotBeNull().ShouldContain("workitems");
    }

    [Fact]
    public void Without_contention_and_waits_there_is_no_session_with_stacks()
    {
        RuntimeProviders.Contention(RuntimeEventParts.Default & ~RuntimeEventParts.Contention & ~RuntimeEventParts.Waits).ShouldBeNull();
        RuntimeProviders.Contention(RuntimeEventParts.Waits).ShouldNotBeNull().RequestStackwalk.ShouldBeTrue();
    }

    [Fact]
    public void Collections_and_exceptions_are_asked_for_at_informational_apart_from_the_verbose_session()
    {
        const long gc = (long)Microsoft.Diagnostics.Tracing.Parsers.ClrTraceEventParser.Keywords.GC;
        const long exception = (long)Microsoft.Diagnostics.Tracing.Parsers.ClrTraceEventParser.Keywords.Exception;

        var verbose = RuntimeProviders.Events(RuntimeEventParts.Default).Providers.Single(p => p.Name == RuntimeProviders.RuntimeProvider);
        (verbose.Keywords & (gc | exception)).ShouldBe(0, "the GC at Verbose writes allocation ticks and join events no rule reads");
        verbose.EventLevel.ShouldBe(System.Diagnostics.Tracing.EventLevel.Verbose);

        var informational = RuntimeProviders.Informational(RuntimeEventParts.Default).ShouldNotBeNull();
        var provider = informational.Providers.ShouldHaveSingleItem();
        provider.EventLevel.ShouldBe(System.Diagnostics.Tracing.EventLevel.Informational);
        provider.Keywords.ShouldBe(gc | exception);
        informational.RequestStackwalk.ShouldBeFalse();
        informational.RequestRundown.ShouldBeFalse();

        RuntimeProviders.Informational(RuntimeEventParts.Default & ~RuntimeProviders.AtInformational).ShouldBeNull();
        RuntimeProviders.Informational(RuntimeEventParts.Gc).ShouldNotBeNull().Providers.ShouldHaveSingleItem().Keywords.ShouldBe(gc);
    }
}
