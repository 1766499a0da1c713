namespace Advisor.Runtime.Symbols;

/// <summary>One method body's code range in the target, as the runtime's method events describe it.</summary>
/// <param name="Name">The display name, <c>Namespace.Type.Method</c>.</param>
/// <param name="IsFramework">Part of .NET itself (see <see cref="MethodNames.IsFramework"/>).</param>
public readonly record struct ManagedMethod(ulong Start, uint Size, string Name, bool IsFramework)
{
    public bool Contains(ulong address) => address >= Start && address - Start < Size;
}
