using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Advisor.Runtime.Symbols.ReadyToRun;

/// <summary>
/// Names MethodDefs from an assembly's metadata the way the runtime's method events name them: the declaring
/// type with its namespace, nested types as <c>Outer+Inner</c>, then the method (see <see cref="MethodNames.Display"/>).
/// </summary>
internal sealed class MetadataMethodNames(MetadataReader metadata)
{
    // Real nesting is a handful deep; a corrupt NestedClass table could loop.
    private const int MaxNesting = 32;

    private readonly Dictionary<TypeDefinitionHandle, string> _typeNames = new();

    public PrecompiledMethod Of(int methodDefRow)
    {
        var method = metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(methodDefRow));
        var typeName = TypeName(method.GetDeclaringType(), 0);
        return new PrecompiledMethod(MethodNames.Display(typeName, metadata.GetString(method.Name)), MethodNames.IsFramework(typeName));
    }

    /// <summary>The type's full name as the runtime writes it: <c>Namespace.Outer+Inner</c>.</summary>
    public string TypeName(TypeDefinitionHandle handle) => TypeName(handle, 0);

    private string TypeName(TypeDefinitionHandle handle, int depth)
    {
        if (handle.IsNil)
        {
            return string.Empty;
        }

        if (!_typeNames.TryGetValue(handle, out var name))
        {
            var type = metadata.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            name = metadata.GetString(type.Name);
            if (!declaring.IsNil && depth < MaxNesting)
            {
                name = $"{TypeName(declaring, depth + 1)}+{name}";
            }
            else if (!type.Namespace.IsNil)
            {
                var ns = metadata.GetString(type.Namespace);
                name = ns.Length == 0 ? name : $"{ns}.{name}";
            }

            _typeNames[handle] = name;
        }

        return name;
    }
}
