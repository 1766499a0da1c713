using Advisor.Core.Hang;
using Microsoft.Diagnostics.Runtime;

namespace Advisor.Runtime.Inspection;

/// <summary>
/// The HTTP request a thread is serving, read from the objects its frames hold: ASP.NET Core's
/// <c>DefaultHttpContext</c>, and through it Kestrel's request (method, path, the endpoint routing chose).
/// These are private fields of ASP.NET Core, read as .NET 10 lays them out: when one is not there, that part
/// is left out rather than guessed.
/// </summary>
internal static class ServedRequests
{
    private const string HttpContextType = "Microsoft.AspNetCore.Http.DefaultHttpContext";

    /// <summary>Kestrel's <c>HttpMethod</c> enum, in its order (<c>Custom</c> and <c>None</c> carry no name).</summary>
    private static readonly string[] Methods = ["GET", "PUT", "DELETE", "POST", "HEAD", "TRACE", "PATCH", "CONNECT", "OPTIONS"];

    /// <summary>The request of the innermost frame that holds one; null when no frame does.</summary>
    public static ServedRequest? Find(IEnumerable<ClrStackRoot> roots)
    {
        foreach (var root in roots)
        {
            if (root.Object.Type?.Name == HttpContextType)
            {
                return Read(root.Object);
            }
        }

        return null;
    }

    /// <summary>The request behind a <c>DefaultHttpContext</c>: its features collection is Kestrel's request object.</summary>
    private static ServedRequest Read(ClrObject context)
    {
        try
        {
            var request = context.Type?.GetFieldByName("_features") is not null
                ? context.ReadValueTypeField("_features").ReadObjectField("<Collection>k__BackingField")
                : default;
            if (request.IsNull || request.Type is null)
            {
                return new ServedRequest(null, null, null);
            }

            var path = Text(request, "<PathBase>k__BackingField") + Text(request, "<Path>k__BackingField");
            var endpoint = Reference(request, "_endpoint") is { IsNull: false } chosen ? Text(chosen, "<DisplayName>k__BackingField") : null;
            return new ServedRequest(Method(request), path.Length == 0 ? null : path, endpoint);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            // A half-built request (or another server's): it is one, but what it asks for is not readable.
            return new ServedRequest(null, null, null);
        }
    }

    /// <summary>The method's text when the server kept it, else Kestrel's parsed method.</summary>
    private static string? Method(ClrObject request)
    {
        if (Text(request, "_methodText") is { } text)
        {
            return text;
        }

        return request.Type?.GetFieldByName("<Method>k__BackingField") is { } field
            && field.Read<byte>(request.Address, interior: false) is var method && method < Methods.Length
            ? Methods[method]
            : null;
    }

    private static ClrObject Reference(ClrObject owner, string field) =>
        owner.Type?.GetFieldByName(field) is { IsObjectReference: true } f ? f.ReadObject(owner.Address, interior: false) : default;

    private static string? Text(ClrObject owner, string field) =>
        Reference(owner, field) is { IsNull: false, Type.IsString: true } text ? text.AsString() : null;
}
