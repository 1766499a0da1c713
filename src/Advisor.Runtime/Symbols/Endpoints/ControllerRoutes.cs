using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Advisor.Runtime.Symbols.Endpoints;

/// <summary>
/// The routes of controller actions, from ASP.NET Core's attributes: the controller's <c>[Route("api/[controller]")]</c>
/// joined with the action's <c>[HttpGet("{id}")]</c> (or <c>[Route]</c>), as attribute routing joins them.
/// </summary>
internal static class ControllerRoutes
{
    private const string MvcNamespace = "Microsoft.AspNetCore.Mvc";

    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["HttpGetAttribute"] = "GET",
        ["HttpPostAttribute"] = "POST",
        ["HttpPutAttribute"] = "PUT",
        ["HttpDeleteAttribute"] = "DELETE",
        ["HttpPatchAttribute"] = "PATCH",
        ["HttpHeadAttribute"] = "HEAD",
        ["HttpOptionsAttribute"] = "OPTIONS",
        ["RouteAttribute"] = "",
    };

    public static void AddTo(Dictionary<int, string> routes, MetadataReader metadata)
    {
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            var prefix = RouteAttributes(metadata, type.GetCustomAttributes()).Select(r => r.Template).FirstOrDefault();
            var controller = metadata.GetString(type.Name);
            controller = controller.EndsWith("Controller", StringComparison.Ordinal) ? controller[..^"Controller".Length] : controller;
            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                var own = RouteAttributes(metadata, method.GetCustomAttributes()).ToList();
                if (own.Count == 0)
                {
                    continue;
                }

                // [HttpGet("x")] beside [Route("y")]: the verb of one, the template of whichever gives one.
                var verb = own.Select(r => r.Verb).FirstOrDefault(v => v.Length > 0) ?? "";
                var template = own.Select(r => r.Template).FirstOrDefault(t => t is not null);
                var action = metadata.GetString(method.Name);
                action = action.EndsWith("Async", StringComparison.Ordinal) ? action[..^"Async".Length] : action;
                var path = Join(prefix, template).Replace("[controller]", controller, StringComparison.Ordinal).Replace("[action]", action, StringComparison.Ordinal);
                routes[MetadataTokens.GetToken(methodHandle)] = verb.Length == 0 ? path : $"{verb} {path}";
            }
        }
    }

    /// <summary>The controller's template and the action's, as attribute routing joins them ("/" or "~/" starts over).</summary>
    private static string Join(string? prefix, string? template)
    {
        if (template is not null && (template.StartsWith('/') || template.StartsWith("~/", StringComparison.Ordinal)))
        {
            return "/" + template.TrimStart('~', '/');
        }

        var parts = new[] { prefix, template }.Where(p => !string.IsNullOrEmpty(p)).Select(p => p!.Trim('/'));
        return "/" + string.Join('/', parts);
    }

    private static IEnumerable<(string Verb, string? Template)> RouteAttributes(MetadataReader metadata, CustomAttributeHandleCollection attributes)
    {
        foreach (var handle in attributes)
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (AttributeType(metadata, attribute) is not { } name || !Verbs.TryGetValue(name, out var verb))
            {
                continue;
            }

            yield return (verb, Template(metadata, attribute));
        }
    }

    /// <summary>The attribute's type name when it is one of ASP.NET Core MVC's, else null.</summary>
    private static string? AttributeType(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return null;
        }

        var parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        if (parent.Kind != HandleKind.TypeReference)
        {
            return null;
        }

        var type = metadata.GetTypeReference((TypeReferenceHandle)parent);
        return metadata.StringComparer.Equals(type.Namespace, MvcNamespace) || metadata.StringComparer.Equals(type.Namespace, MvcNamespace + ".Routing")
            ? metadata.GetString(type.Name)
            : null;
    }

    /// <summary>The template the attribute's constructor was given (its first argument, a string), or null.</summary>
    private static string? Template(MetadataReader metadata, CustomAttribute attribute)
    {
        var signature = metadata.GetBlobReader(metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Signature);
        signature.ReadSignatureHeader();
        if (signature.ReadCompressedInteger() == 0 || signature.ReadSignatureTypeCode() != SignatureTypeCode.Void
            || signature.ReadSignatureTypeCode() != SignatureTypeCode.String)
        {
            return null;
        }

        var value = metadata.GetBlobReader(attribute.Value);
        return value.ReadUInt16() == 1 ? value.ReadSerializedString() : null; // 1: the blob's prolog
    }
}
