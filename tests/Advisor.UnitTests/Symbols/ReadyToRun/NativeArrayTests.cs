using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.UnitTests.Symbols.ReadyToRun;

/// <summary>Arrays laid out by hand, byte by byte, as the runtime's format describes them.</summary>
public class NativeArrayTests
{
    [Fact]
    public void A_lone_element_is_a_leaf_at_the_root_of_its_block()
    {
        // Count 1 with 1-byte block offsets (header 1 << 2 = 4, encoded 0x08); block 0 one byte past the
        // index; its root is a leaf for index 0 (0x00); then the element's data (21).
        byte[] data = [0x08, 0x01, 0x00, 0x2A];

        NativeArray.TryOpen(data, 0, out var array).ShouldBeTrue();
        array.Count.ShouldBe(1u);
        ValueAt(data, 0).ShouldBe(21u);
        TryGet(data, 1).ShouldBeNull();
    }

    [Fact]
    public void A_leaf_holds_only_the_index_it_names()
    {
        // Count 16 (header 64, encoded 0x80); a leaf for index 5 (5 << 2 = 20, encoded 0x28) holding 3.
        byte[] data = [0x80, 0x01, 0x28, 0x06];

        ValueAt(data, 5).ShouldBe(3u);
        TryGet(data, 4).ShouldBeNull();
        TryGet(data, 16).ShouldBeNull();
    }

    [Fact]
    public void A_node_leads_to_its_lower_child_right_after_it_and_to_its_higher_one_at_its_distance()
    {
        // Elements 0 and 8 of 16: the root has both children (bits 0 and 1) with the higher one 3 bytes on
        // (3 << 2 | 3 = 15, encoded 0x1E); leaf 0 (0x00) with 1, then leaf 8 (8 << 2 = 32, encoded 0x40) with 2.
        byte[] data = [0x80, 0x01, 0x1E, 0x00, 0x02, 0x40, 0x04];

        ValueAt(data, 0).ShouldBe(1u);
        ValueAt(data, 8).ShouldBe(2u);
        TryGet(data, 4).ShouldBeNull();
        TryGet(data, 9).ShouldBeNull();
    }

    [Fact]
    public void Blocks_of_sixteen_are_found_through_the_index_at_its_width()
    {
        // Count 32 with 2-byte block offsets (header 32 << 2 | 1 = 129, encoded 0x05 0x02); block 0 at 4 past
        // the index holds element 15 (leaf 15 << 2 = 60, encoded 0x78) = 1, block 1 at 6 holds element 17 (leaf 1) = 5.
        byte[] data = [0x05, 0x02, 0x04, 0x00, 0x06, 0x00, 0x78, 0x02, 0x08, 0x0A];

        ValueAt(data, 15).ShouldBe(1u);
        ValueAt(data, 17).ShouldBe(5u);
        TryGet(data, 1).ShouldBeNull();
        TryGet(data, 31).ShouldBeNull();
    }

    [Fact]
    public void Offsets_past_the_data_and_an_unknown_index_width_are_missing_elements()
    {
        NativeArray.TryOpen([0x0E], 0, out _).ShouldBeFalse(); // width 3 does not exist
        NativeArray.TryOpen([], 0, out _).ShouldBeFalse();
        TryGet([0x80, 0x7E], 5).ShouldBeNull();               // block 0 far past the end
        TryGet([0x80, 0x01], 5).ShouldBeNull();               // block 0 is where the data ends
        TryGet([0x80, 0x01, 0x03], 5).ShouldBeNull();         // a node cut short
        TryGet([0x80], 5).ShouldBeNull();                     // no block index
        TryGet([0x05, 0x01, 0xFF], 5).ShouldBeNull();         // 2-byte offsets, the index cut short
    }

    private static int? TryGet(byte[] data, uint index) =>
        NativeArray.TryOpen(data, 0, out var array) && array.TryGetAt(index, out var offset) ? offset : null;

    private static uint ValueAt(byte[] data, uint index)
    {
        var offset = TryGet(data, index).ShouldNotBeNull();
        NativeFormat.TryReadUnsigned(data, offset, out var value, out _).ShouldBeTrue();
        return value;
    }
}
