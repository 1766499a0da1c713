using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Advisor.Runtime.Symbols.ReadyToRun;

namespace Advisor.Runtime.Symbols.Endpoints;

/// <summary>
/// Gives an async handler's state machine (its <c>MoveNext</c>) the handler's route. Past its first await an async
/// handler runs in that MoveNext, resumed by the pool; and the method that starts it can be missing from every
/// stack, inlined into the caller that ASP.NET Core compiles for it (a controller action's executor).
/// </summary>
internal static class StateMachineRoutes
{
    private const string CompilerServices = "System.Runtime.CompilerServices";

    public static void AddTo(Dictionary<int, string> routes, MetadataReader metadata)
    {
        var names = new MetadataMethodNames(metadata);
        foreach (var (token, route) in routes.ToList())
        {
            var method = metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(token));
            if (StateMachineName(metadata, method) is { } name
                && MoveNext(metadata, names, metadata.GetTypeDefinition(method.GetDeclaringType()), name) is { } moveNext)
            {
                routes.TryAdd(MetadataTokens.GetToken(moveNext), route);
            }
        }
    }

    /// <summary>The state machine type [AsyncStateMachine(typeof(…))] names, as the attribute stores it.</summary>
    private static string? StateMachineName(MetadataReader metadata, MethodDefinition method)
    {
        foreach (var handle in method.GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference
                || metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is not { Kind: HandleKind.TypeReference } parent)
            {
                continue;
            }

            var type = metadata.GetTypeReference((TypeReferenceHandle)parent);
            if (metadata.StringComparer.Equals(type.Namespace, CompilerServices) && metadata.StringComparer.Equals(type.Name, "AsyncStateMachineAttribute"))
            {
                var value = metadata.GetBlobReader(attribute.Value);
                return value.ReadUInt16() == 1 ? value.ReadSerializedString() : null; // 1: the blob's prolog
            }
        }

        return null;
    }

    /// <summary>The MoveNext of the type nested in <paramref name="declaring"/> with that full name, if any.</summary>
    private static MethodDefinitionHandle? MoveNext(MetadataReader metadata, MetadataMethodNames names, TypeDefinition declaring, string name)
    {
        foreach (var nested in declaring.GetNestedTypes())
        {
            if (names.TypeName(nested) != name)
            {
                continue;
            }

            foreach (var handle in metadata.GetTypeDefinition(nested).GetMethods())
            {
                if (metadata.StringComparer.Equals(metadata.GetMethodDefinition(handle).Name, "MoveNext"))
                {
                    return handle;
                }
            }
        }

        return null;
    }
}
