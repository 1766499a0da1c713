namespace Advisor.Linux.Unwinding;

/// <summary>A parsed common information entry: what the FDEs that point to it share.</summary>
/// <param name="PointerEncoding">The 'R' augmentation: how the FDEs' pc_begin (and DW_CFA_set_loc) are encoded.</param>
/// <param name="HasAugmentationData">'z': each FDE carries a length-prefixed augmentation block to skip.</param>
/// <param name="InstructionsStart">Section offset of the initial instructions; they end at <paramref name="InstructionsEnd"/>.</param>
internal readonly record struct CommonInformationEntry(
    ulong CodeAlignment,
    long DataAlignment,
    int ReturnAddressRegister,
    byte PointerEncoding,
    bool HasAugmentationData,
    bool IsSignalFrame,
    int InstructionsStart,
    int InstructionsEnd);

/// <summary>A parsed frame description entry: the code range [<paramref name="PcBegin"/>, <paramref name="PcEnd"/>) it describes.</summary>
/// <param name="Cie">Index of its CIE in the table's array.</param>
internal readonly record struct FrameDescriptionEntry(ulong PcBegin, ulong PcEnd, int InstructionsStart, int InstructionsEnd, int Cie);
