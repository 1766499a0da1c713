namespace Advisor.Linux.Elf;

/// <summary>A PT_LOAD program header: <see cref="FileSize"/> bytes at file <see cref="Offset"/> are mapped at <see cref="VirtualAddress"/>.</summary>
public readonly record struct ElfSegment(ulong Offset, ulong VirtualAddress, ulong FileSize);
