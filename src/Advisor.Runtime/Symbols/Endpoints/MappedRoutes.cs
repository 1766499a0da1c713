using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.Endpoints;

/// <summary>
/// The routes of minimal APIs, from the IL that maps them: <c>app.MapGet("/orders/{id}", handler)</c> compiles to
/// the route's <c>ldstr</c>, the handler's <c>ldftn</c> (a lambda, a local function or a method group) and the
/// call to <c>MapGet</c>; a <c>MapGroup("/api")</c> kept in a local prefixes the routes mapped on it.
/// </summary>
/// <remarks>
/// A route composed at run time (an interpolated string, a constant from configuration) or a group passed
/// between methods is not seen; nor is the handler of a request delegate built elsewhere.
/// </remarks>
internal static class MappedRoutes
{
    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["MapGet"] = "GET",
        ["MapPost"] = "POST",
        ["MapPut"] = "PUT",
        ["MapDelete"] = "DELETE",
        ["MapPatch"] = "PATCH",
        ["Map"] = "",
        ["MapMethods"] = "",
        ["MapFallback"] = "",
    };

    public static void AddTo(Dictionary<int, string> routes, MetadataReader metadata, PEReader pe)
    {
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress != 0)
            {
                Scan(routes, metadata, pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader());
            }
        }
    }

    private static void Scan(Dictionary<int, string> routes, MetadataReader metadata, BlobReader il)
    {
        string? text = null;
        string? receiverPrefix = null;
        var handlers = new List<int>();
        var groups = new Dictionary<int, string>();
        var instructions = new ILInstructions(il);
        while (instructions.MoveNext())
        {
            switch (instructions.OpCode)
            {
                case ILOpCode.Ldstr:
                    text = metadata.GetUserString(MetadataTokens.UserStringHandle(instructions.Token));
                    break;
                case ILOpCode.Ldftn when MetadataTokens.EntityHandle(instructions.Token).Kind == HandleKind.MethodDefinition:
                    handlers.Add(instructions.Token);
                    break;
                case ILOpCode.Ldloc or ILOpCode.Ldloc_s or ILOpCode.Ldloc_0 or ILOpCode.Ldloc_1 or ILOpCode.Ldloc_2 or ILOpCode.Ldloc_3:
                    // The receiver of the next Map call, when the local holds a group.
                    receiverPrefix = groups.GetValueOrDefault(instructions.Local) ?? receiverPrefix;
                    break;
                case ILOpCode.Call or ILOpCode.Callvirt:
                    var name = CalledName(metadata, instructions.Token);
                    if (name == "MapGroup")
                    {
                        // Chained (app.MapGroup("/api").MapGet(…)) or kept in the local the next store names.
                        receiverPrefix = Join(receiverPrefix, text);
                        text = null;
                    }
                    else if (name is not null && Verbs.TryGetValue(name, out var verb))
                    {
                        var path = Join(receiverPrefix, text);
                        foreach (var handler in handlers)
                        {
                            routes[handler] = verb.Length == 0 ? path : $"{verb} {path}";
                        }

                        (text, receiverPrefix) = (null, null);
                        handlers.Clear();
                    }

                    break;
                case ILOpCode.Stloc or ILOpCode.Stloc_s or ILOpCode.Stloc_0 or ILOpCode.Stloc_1 or ILOpCode.Stloc_2 or ILOpCode.Stloc_3:
                    if (receiverPrefix is not null && handlers.Count == 0)
                    {
                        groups[instructions.Local] = receiverPrefix;
                    }

                    receiverPrefix = null;
                    break;
                case ILOpCode.Ret:
                    (text, receiverPrefix) = (null, null);
                    handlers.Clear();
                    break;
            }
        }
    }

    private static string Join(string? prefix, string? route)
    {
        var tail = (route ?? "").Trim('/');
        var head = (prefix ?? "").Trim('/');
        return "/" + (head.Length == 0 ? tail : tail.Length == 0 ? head : $"{head}/{tail}");
    }

    /// <summary>The name of the method a call instruction calls (through a generic instantiation too), or null.</summary>
    private static string? CalledName(MetadataReader metadata, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.MethodSpecification)
        {
            handle = metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
        }

        return handle.Kind switch
        {
            HandleKind.MemberReference => metadata.GetString(metadata.GetMemberReference((MemberReferenceHandle)handle).Name),
            HandleKind.MethodDefinition => metadata.GetString(metadata.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
            _ => null,
        };
    }
}
