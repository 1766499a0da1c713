using Advisor.Core.Stacks;

namespace Advisor.UnitTests.Stacks;

public class StackTableTests
{
    [Fact]
    public void The_same_frames_of_the_same_process_get_the_same_id()
    {
        var table = new StackTable();

        var first = table.Intern(10, [0x1000, 0x2000, 0x3000]);
        var again = table.Intern(10, [0x1000, 0x2000, 0x3000]);

        first.ShouldBeGreaterThan(StackTable.None);
        again.ShouldBe(first);
        table.Count.ShouldBe(1);
        table.FramesOf(first).ToArray().ShouldBe([0x1000UL, 0x2000UL, 0x3000UL]);
        table.PidOf(first).ShouldBe(10);
    }

    [Fact]
    public void Another_process_or_another_frame_is_another_stack()
    {
        var table = new StackTable();

        var a = table.Intern(10, [0x1000, 0x2000]);
        var otherPid = table.Intern(11, [0x1000, 0x2000]);
        var otherFrame = table.Intern(10, [0x1000, 0x2001]);
        var prefix = table.Intern(10, [0x1000]);

        new[] { a, otherPid, otherFrame, prefix }.Distinct().Count().ShouldBe(4);
    }

    [Fact]
    public void An_empty_callchain_is_no_stack()
    {
        var table = new StackTable();

        table.Intern(10, []).ShouldBe(StackTable.None);
        table.Count.ShouldBe(0);
        table.FramesOf(StackTable.None).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Ids_and_frames_survive_the_table_growing()
    {
        var table = new StackTable();
        var ids = new int[5000];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = table.Intern(10, [(ulong)i, 0xAAAA, (ulong)(i * 7)]);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            table.Intern(10, [(ulong)i, 0xAAAA, (ulong)(i * 7)]).ShouldBe(ids[i]);
            table.FramesOf(ids[i])[2].ShouldBe((ulong)(i * 7));
        }

        table.Count.ShouldBe(5000);
    }

    [Fact]
    public void Frames_past_the_maximum_depth_are_dropped()
    {
        var table = new StackTable();
        var deep = Enumerable.Range(1, StackTable.MaxDepth + 10).Select(i => (ulong)i).ToArray();

        var id = table.Intern(10, deep);

        table.FramesOf(id).Length.ShouldBe(StackTable.MaxDepth);
        table.Intern(10, deep[..StackTable.MaxDepth]).ShouldBe(id);
    }

    [Fact]
    public void A_cleared_table_forgets_every_stack_and_numbers_again_from_1()
    {
        var table = new StackTable();
        for (var i = 0; i < 5_000; i++)
        {
            table.Intern(10, [(ulong)i, 0x2000]);
        }

        table.Clear();

        table.Count.ShouldBe(0);
        table.FramesOf(1).IsEmpty.ShouldBeTrue();
        var id = table.Intern(11, [0x3000]);
        id.ShouldBe(1);
        table.FramesOf(id).ToArray().ShouldBe([0x3000UL]);
        table.PidOf(id).ShouldBe(11);
    }
}
