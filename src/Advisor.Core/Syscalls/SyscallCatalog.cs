namespace Advisor.Core.Syscalls;

/// <summary>
/// A recording architecture's syscall names and traits, indexed by number so the hot path pays one array
/// read per event.
/// </summary>
public sealed class SyscallCatalog
{
    private readonly SyscallTraits[] _traits;

    public SyscallCatalog(SyscallTable table, ErrnoTable errnos)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        Errnos = errnos;
        _traits = new SyscallTraits[table.Count];
        for (var nr = 0; nr < table.Count; nr++)
        {
            _traits[nr] = SyscallSemantics.Of(table.NameOf(nr));
        }
    }

    public SyscallTable Table { get; }

    public ErrnoTable Errnos { get; }

    /// <summary>Numbers are below this bound for known syscalls; larger ones are still counted, by name only.</summary>
    public int Count => _traits.Length;

    public SyscallTraits TraitsOf(int number) =>
        (uint)number < (uint)_traits.Length ? _traits[number] : SyscallTraits.None;

    public string NameOf(int number) => Table.NameOf(number);
}
