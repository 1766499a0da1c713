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
}
