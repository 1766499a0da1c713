namespace Advisor.Runtime.Symbols;

/// <summary>One method body's code range in the target, as the runtime's method events describe it.</summary>
/// <param name="Name">The display name, <c>Namespace.Type.Method</c>.</param>
/// <param name="IsFramework">Part of .NET itself by its type's name (see <see cref="MethodNames.IsFramework"/>).</param>
/// <param name="ModuleId">The runtime's id of the module holding it (0 when not known): its file tells whose code it is.</param>
/// <param name="Token">Its MethodDef token in that module (0 when not known): what the module's metadata says of it (its route).</param>
public readonly record struct ManagedMethod(ulong Start, uint Size, string Name, bool IsFramework, ulong ModuleId = 0, int Token = 0)
{
    public bool Contains(ulong address) => address >= Start && address - Start < Size;
}
