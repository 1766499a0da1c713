using System.Globalization;

namespace Advisor.Linux.Symbols;

/// <summary>A native frame: the library (file name) and the symbol containing the address, if one does.</summary>
public readonly record struct NativeFrame(string Module, string? Symbol, ulong Displacement)
{
    /// <summary><c>libc.so.6!pwrite64</c>, or <c>libfoo.so+0x1234</c> (file offset) without a symbol.</summary>
    public override string ToString() =>
        Symbol is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Module}+0x{Displacement:x}")
            : $"{Module}!{Symbol}";
}
