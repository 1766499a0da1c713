namespace Advisor.Core.Stacks;

/// <summary>Names the frames of an interned stack (managed methods, native symbols).</summary>
public interface IStackSymbolizer
{
    /// <param name="pid">The process whose address space the instruction pointers belong to.</param>
    /// <param name="frames">Instruction pointers, innermost first; all but the first are return addresses.</param>
    CallStack Symbolize(int pid, ReadOnlySpan<ulong> frames);
}
