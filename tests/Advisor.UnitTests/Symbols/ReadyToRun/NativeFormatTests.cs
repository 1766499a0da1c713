using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.UnitTests.Symbols.ReadyToRun;

public class NativeFormatTests
{
    [Theory]
    [InlineData(new byte[] { 0x18 }, 12u)]
    [InlineData(new byte[] { 0xA1, 0x0F }, 1000u)]
    [InlineData(new byte[] { 0x2B, 0x1A, 0x09 }, 0x12345u)]
    [InlineData(new byte[] { 0xF7, 0xDE, 0xBC, 0x0A }, 0xABCDEFu)]
    [InlineData(new byte[] { 0x0F, 0x78, 0x56, 0x34, 0x12 }, 0x12345678u)]
    public void Each_width_decodes_to_its_value_and_ends_after_its_bytes(byte[] encoded, uint expected)
    {
        byte[] data = [0xEE, .. encoded, 0xEE];

        NativeFormat.TryReadUnsigned(data, 1, out var value, out var next).ShouldBeTrue();

        value.ShouldBe(expected);
        next.ShouldBe(1 + encoded.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x0F, 0x78, 0x56, 0x34 })]
    public void An_invalid_first_byte_or_an_integer_cut_short_is_no_value(byte[] data)
    {
        NativeFormat.TryReadUnsigned(data, 0, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Offsets_outside_the_data_are_no_value()
    {
        NativeFormat.TryReadUnsigned([0x18], 1, out _, out _).ShouldBeFalse();
        NativeFormat.TryReadUnsigned([0x18], -1, out _, out _).ShouldBeFalse();
    }
}
