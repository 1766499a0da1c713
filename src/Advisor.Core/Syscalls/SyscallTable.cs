namespace Advisor.Core.Syscalls;

/// <summary>
/// Syscall numbers and names of one architecture. Numbers differ between x86_64 and arm64, so everything
/// recorded is named through the table of the machine it was recorded on; the rest of the pipeline works
/// with these names' meaning (<see cref="SyscallTraits"/>), never with raw numbers.
/// </summary>
public sealed class SyscallTable
{
    private readonly string?[] _names;
    private readonly Dictionary<string, int> _numbers;

    public SyscallTable(string architecture, IReadOnlyDictionary<int, string> namesByNumber)
    {
        ArgumentNullException.ThrowIfNull(namesByNumber);
        Architecture = architecture;
        var max = namesByNumber.Count == 0 ? -1 : namesByNumber.Keys.Max();
        _names = new string?[max + 1];
        _numbers = new Dictionary<string, int>(namesByNumber.Count, StringComparer.Ordinal);
        foreach (var (nr, name) in namesByNumber)
        {
            _names[nr] = name;
            _numbers[name] = nr;
        }
    }

    /// <summary>The architecture name as the kernel reports it (uname -m): x86_64, aarch64.</summary>
    public string Architecture { get; }

    /// <summary>One past the highest syscall number known: the size of per-number lookup arrays.</summary>
    public int Count => _names.Length;

    /// <summary>The syscall's name, or <c>syscall_NNN</c> for a number this table does not know.</summary>
    public string NameOf(int number) =>
        (uint)number < (uint)_names.Length && _names[number] is { } name ? name : $"syscall_{number}";

    public bool TryGetNumber(string name, out int number) => _numbers.TryGetValue(name, out number);
}
