namespace Advisor.Linux.Elf;

/// <summary>A section header, with its name from .shstrtab (empty when the file has none).</summary>
public readonly record struct ElfSection(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link)
{
    public const uint Symtab = 2;
    public const uint Note = 7;
    public const uint NoBits = 8;
    public const uint Dynsym = 11;
}
