namespace Advisor.Core.Syscalls;

/// <summary>errno values and their symbolic names (ENOENT, EAGAIN, …) of one architecture.</summary>
public sealed class ErrnoTable
{
    private readonly Dictionary<int, string> _names;
    private readonly Dictionary<string, int> _numbers;

    public ErrnoTable(IReadOnlyDictionary<int, string> namesByNumber)
    {
        ArgumentNullException.ThrowIfNull(namesByNumber);
        _names = new Dictionary<int, string>(namesByNumber);
        _numbers = namesByNumber.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    /// <summary>The symbolic name, or <c>E###</c> when the number is unknown.</summary>
    public string NameOf(int errno) => _names.TryGetValue(errno, out var name) ? name : $"E{errno}";

    public bool TryGetNumber(string name, out int errno) => _numbers.TryGetValue(name, out errno);
}
