using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Advisor.Runtime.Symbols.Endpoints;

/// <summary>
/// The web endpoints an application's assemblies map, by handler method: read from each assembly's metadata and
/// IL on disk (once per file), since the route an ASP.NET Core request took lives only inside its routing, and
/// asking the target for it per request would cost the service more than the recording.
/// </summary>
/// <remarks>
/// What is read: a minimal API's <c>MapGet("/route", handler)</c> and its kin (<see cref="MappedRoutes"/>), and a
/// controller action's <c>[Route]</c>/<c>[HttpGet]</c> attributes with its controller's (<see cref="ControllerRoutes"/>);
/// an async handler's state machine gets its handler's route (<see cref="StateMachineRoutes"/>).
/// Routes built at run time (strings composed in code, conventional routing, endpoints from configuration) are
/// not in the assembly and stay unknown. Used on the report thread only.
/// </remarks>
public sealed class EndpointRoutes
{
    // An assembly larger than this is no web application's own code worth reading per report.
    private const long MaxAssemblyBytes = 256L << 20;

    private readonly Dictionary<string, IReadOnlyDictionary<int, string>> _byFile = new(StringComparer.Ordinal);

    /// <summary>The route of the method with this MethodDef token in this assembly, or null.</summary>
    public string? Of(string assemblyPath, int methodToken)
    {
        ArgumentNullException.ThrowIfNull(assemblyPath);
        if (!_byFile.TryGetValue(assemblyPath, out var routes))
        {
            _byFile[assemblyPath] = routes = Read(assemblyPath);
        }

        return routes.GetValueOrDefault(methodToken);
    }

    /// <summary>The routes one assembly maps, by handler token; none when the file cannot be read as one.</summary>
    public static IReadOnlyDictionary<int, string> Read(string assemblyPath)
    {
        try
        {
            using var file = File.OpenRead(assemblyPath);
            if (file.Length > MaxAssemblyBytes)
            {
                return new Dictionary<int, string>();
            }

            using var pe = new PEReader(file);
            if (!pe.HasMetadata)
            {
                return new Dictionary<int, string>();
            }

            var metadata = pe.GetMetadataReader();
            var routes = new Dictionary<int, string>();
            ControllerRoutes.AddTo(routes, metadata);
            MappedRoutes.AddTo(routes, metadata, pe);
            StateMachineRoutes.AddTo(routes, metadata);
            return routes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            // The file changed or went since the runtime loaded it (a redeploy): its routes stay unknown.
            return new Dictionary<int, string>();
        }
    }
}
